// sigsuspend returns EINTR after a handler; sigwaitinfo/sigtimedwait take a blocked signal
// synchronously; sigtimedwait times out with EAGAIN [man 2 sigsuspend, man 2 sigwaitinfo].
#include <time.h>

#include "contract.h"

static volatile int g_handled;
static void Handler(int sig) {
  (void)sig;
  g_handled = 1;
}

int main(void) {
  signal(SIGUSR1, Handler);
  sigset_t block, old, none;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  sigaddset(&block, SIGUSR2);
  sigprocmask(SIG_BLOCK, &block, &old);
  pid_t child = fork();
  if (child == 0) {
    kill(getppid(), SIGUSR1);
    _exit(0);
  }
  sigemptyset(&none);
  T_CALL(sigsuspend(&none));
  printf("handled: %d\n", g_handled);
  t_wait(child, "child");
  sigset_t cur;
  sigprocmask(SIG_BLOCK, NULL, &cur);
  printf("mask restored after sigsuspend: %s\n", sigismember(&cur, SIGUSR1) ? "true" : "false");
  raise(SIGUSR2);
  siginfo_t info;
  sigset_t want;
  sigemptyset(&want);
  sigaddset(&want, SIGUSR2);
  T_CALL(sigwaitinfo(&want, &info));
  printf("sigwaitinfo code %s\n", info.si_code == SI_TKILL  ? "SI_TKILL"
                                  : info.si_code == SI_USER ? "SI_USER"
                                                            : "other");
  struct timespec ts = {0, 20 * 1000 * 1000};
  T_CALL(sigtimedwait(&want, &info, &ts));
  struct timespec zero = {0, 0};
  T_CALL(sigtimedwait(&want, &info, &zero));
  struct timespec bad = {0, -1};
  T_CALL(sigtimedwait(&want, &info, &bad));
  kill(getpid(), SIGUSR2);
  T_CALL(sigtimedwait(&want, NULL, &zero));
  return 0;
}
