// SIGSTOP/SIGCONT/SIGTSTP: waitpid reports stops with WUNTRACED and continues with
// WCONTINUED; a stopped child killed by SIGKILL dies [man 2 waitpid].
#include "contract.h"

int main(void) {
  pid_t child = fork();
  if (child == 0) {
    for (;;) pause();
  }
  int status;
  kill(child, SIGSTOP);
  T_EQ(waitpid(child, &status, WUNTRACED), child);
  printf("status: %s\n", t_status(status));
  T_CALL(waitpid(child, &status, WUNTRACED | WNOHANG));  // reported once
  kill(child, SIGCONT);
  T_EQ(waitpid(child, &status, WCONTINUED), child);
  printf("status: %s\n", t_status(status));
  // Our process group is orphaned (the batch runner is in another session): the kernel
  // discards SIGTSTP/SIGTTIN/SIGTTOU whose default action would stop it [POSIX, man 7 signal].
  kill(child, SIGTSTP);
  usleep(100 * 1000);
  T_CALL(waitpid(child, &status, WUNTRACED | WNOHANG));
  kill(child, SIGKILL);
  waitpid(child, &status, 0);
  printf("status: %s\n", t_status(status));
  // A handled SIGCONT runs the handler after the continue.
  child = fork();
  if (child == 0) {
    signal(SIGTSTP, SIG_IGN);
    raise(SIGTSTP);  // ignored: keeps running
    _exit(3);
  }
  t_wait(child, "child ignoring SIGTSTP");
  return 0;
}
