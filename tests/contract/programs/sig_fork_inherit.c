// fork inherits dispositions and the mask; the child's pending set starts empty
// [man 2 fork].
#include "contract.h"

static void Handler(int sig) { (void)sig; }

int main(void) {
  signal(SIGUSR1, Handler);
  signal(SIGUSR2, SIG_IGN);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGHUP);
  sigprocmask(SIG_BLOCK, &set, NULL);
  raise(SIGHUP);
  pid_t child = fork();
  if (child == 0) {
    struct sigaction sa;
    sigaction(SIGUSR1, NULL, &sa);
    printf("child: USR1 handler %s\n", sa.sa_handler == Handler ? "inherited" : "lost");
    sigaction(SIGUSR2, NULL, &sa);
    printf("child: USR2 %s\n", sa.sa_handler == SIG_IGN ? "ignored" : "not ignored");
    sigset_t cur, pending;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    sigpending(&pending);
    printf("child: HUP blocked %d pending %d\n", sigismember(&cur, SIGHUP),
           sigismember(&pending, SIGHUP));
    _exit(0);
  }
  t_wait(child, "child");
  sigset_t pending;
  sigpending(&pending);
  printf("parent: HUP pending %d\n", sigismember(&pending, SIGHUP));
  return 0;
}
