// siginfo for signals sent by processes: si_code SI_USER (kill), SI_TKILL (tgkill/raise),
// SI_QUEUE (sigqueue); si_pid/si_uid name the sender [man 2 sigaction].
#include "contract.h"

static siginfo_t g_info;
static void Handler(int sig, siginfo_t* info, void* ctx) {
  (void)sig;
  (void)ctx;
  g_info = *info;
}

static const char* Code(int code) {
  return code == SI_USER     ? "SI_USER"
         : code == SI_TKILL  ? "SI_TKILL"
         : code == SI_QUEUE  ? "SI_QUEUE"
         : code == SI_KERNEL ? "SI_KERNEL"
                             : "other";
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_sigaction = Handler;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR1, &sa, NULL);
  kill(getpid(), SIGUSR1);
  printf("kill: signo %s code %s pid self %s uid %d\n", t_signame(g_info.si_signo),
         Code(g_info.si_code), g_info.si_pid == getpid() ? "true" : "false", (int)g_info.si_uid);
  syscall(SYS_tgkill, getpid(), getpid(), SIGUSR1);
  printf("tgkill: code %s pid self %s\n", Code(g_info.si_code),
         g_info.si_pid == getpid() ? "true" : "false");
  sigqueue(getpid(), SIGUSR1, (union sigval){.sival_int = 99});
  printf("sigqueue: code %s value %d\n", Code(g_info.si_code), g_info.si_value.sival_int);
  pid_t parent = getpid();
  pid_t child = fork();
  if (child == 0) {
    setuid(1234);
    kill(parent, SIGUSR1);  // allowed? only if uid matches: it does not
    _exit(errno == EPERM ? 1 : 0);
  }
  t_wait(child, "unprivileged child signalling root (exit 1 = EPERM)");
  child = fork();
  if (child == 0) {
    kill(parent, SIGUSR1);
    _exit(0);
  }
  t_wait(child, "child");
  printf("from child: code %s pid is child %s\n", Code(g_info.si_code),
         g_info.si_pid == child ? "true" : "false");
  return 0;
}
