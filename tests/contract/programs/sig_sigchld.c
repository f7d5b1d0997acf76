// SIGCHLD: the handler gets CLD_EXITED with the status; with SIGCHLD ignored (or
// SA_NOCLDWAIT) children are reaped automatically and wait fails with ECHILD [man 2 wait].
#include "contract.h"

static volatile int g_code, g_status, g_count;
static void Handler(int sig, siginfo_t* info, void* ctx) {
  (void)sig;
  (void)ctx;
  g_code = info->si_code;
  g_status = info->si_status;
  ++g_count;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_sigaction = Handler;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGCHLD, &sa, NULL);
  sigset_t chld, old;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, &old);  // so that it cannot arrive before we wait
  pid_t child = fork();
  if (child == 0) _exit(12);
  while (g_count == 0) sigsuspend(&old);
  sigprocmask(SIG_SETMASK, &old, NULL);
  printf("SIGCHLD: code %s status %d\n", g_code == CLD_EXITED ? "CLD_EXITED" : "other", g_status);
  t_wait(child, "child");
  signal(SIGCHLD, SIG_IGN);
  child = fork();
  if (child == 0) _exit(1);
  int status;
  T_CALL(waitpid(child, &status, 0));  // blocks until the child is gone, then ECHILD
  signal(SIGCHLD, SIG_DFL);
  sa.sa_handler = SIG_DFL;
  sa.sa_flags = SA_NOCLDWAIT;
  sigaction(SIGCHLD, &sa, NULL);
  child = fork();
  if (child == 0) _exit(2);
  T_CALL(waitpid(child, &status, 0));
  sa.sa_flags = SA_NOCLDSTOP | SA_SIGINFO;
  sa.sa_sigaction = Handler;
  sigaction(SIGCHLD, &sa, NULL);
  g_count = 0;
  child = fork();
  if (child == 0) {
    raise(SIGSTOP);
    _exit(0);
  }
  waitpid(child, &status, WUNTRACED);
  printf("stopped child, SIGCHLD with NOCLDSTOP: %d\n", g_count);
  kill(child, SIGCONT);
  t_wait(child, "continued child");
  return 0;
}
