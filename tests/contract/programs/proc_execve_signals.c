// Across execve(2): handled signals reset to default, ignored stay ignored, the mask and the
// pending set are kept [man 2 execve, man 7 signal].
#include "contract.h"

static void Handler(int sig) { (void)sig; }

int main(void) {
  pid_t child = fork();
  if (child == 0) {
    signal(SIGUSR1, Handler);
    signal(SIGUSR2, SIG_IGN);
    signal(SIGHUP, Handler);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGINT);
    sigprocmask(SIG_BLOCK, &set, NULL);
    raise(SIGINT);  // pending across the exec
    char* argv[] = {"contract-helper", "sigstate", NULL};
    char* envp[] = {NULL};
    execve(t_helper_path(), argv, envp);
    _exit(127);
  }
  t_wait(child, "helper");
  return 0;
}
