// A child killed by a signal: default actions terminate (with or without core) and the wait
// status names the signal. RLIMIT_CORE is 0, so no core file is written.
#include "contract.h"

static const int kSignals[] = {SIGHUP,  SIGINT,  SIGQUIT, SIGILL,  SIGABRT,
                               SIGFPE,  SIGKILL, SIGUSR1, SIGSEGV, SIGUSR2,
                               SIGPIPE, SIGALRM, SIGTERM, SIGXCPU, SIGSYS};

int main(void) {
  for (unsigned i = 0; i < sizeof(kSignals) / sizeof(kSignals[0]); ++i) {
    pid_t child = fork();
    if (child == 0) {
      raise(kSignals[i]);
      _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    printf("raise(%s): %s\n", t_signame(kSignals[i]), t_status(status));
  }
  return 0;
}
