// abort() ends the process with SIGABRT even when SIGABRT is caught or ignored and
// blocked [man 3 abort].
#include "contract.h"

static void Handler(int sig) { (void)sig; }

int main(void) {
  pid_t child = fork();
  if (child == 0) abort();
  t_wait(child, "abort");
  child = fork();
  if (child == 0) {
    signal(SIGABRT, Handler);
    abort();
  }
  t_wait(child, "abort with a handler that returns");
  child = fork();
  if (child == 0) {
    signal(SIGABRT, SIG_IGN);
    sigset_t set;
    sigfillset(&set);
    sigprocmask(SIG_BLOCK, &set, NULL);
    abort();
  }
  t_wait(child, "abort ignored and blocked");
  return 0;
}
