// Signals whose default action is to ignore (SIGCHLD, SIGURG, SIGWINCH, SIGCONT) do not
// kill; pending ignored signals are discarded [man 7 signal "Standard signals"].
#include "contract.h"

int main(void) {
  static const int ignored[] = {SIGCHLD, SIGURG, SIGWINCH, SIGCONT};
  for (unsigned i = 0; i < 4; ++i) {
    pid_t child = fork();
    if (child == 0) {
      raise(ignored[i]);
      _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    printf("%s: %s\n", t_signame(ignored[i]), t_status(status));
  }
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigprocmask(SIG_BLOCK, &set, NULL);
  raise(SIGUSR1);
  signal(SIGUSR1, SIG_IGN);  // setting SIG_IGN discards the pending one
  sigset_t pending;
  sigpending(&pending);
  printf("pending after SIG_IGN: %d\n", sigismember(&pending, SIGUSR1));
  signal(SIGUSR1, SIG_DFL);
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  printf("still alive after unblocking\n");
  return 0;
}
