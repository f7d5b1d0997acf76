// wait4/waitpid/waitid with nothing to wait for and with bad arguments [man 2 wait].
#include "contract.h"

int main(void) {
  int status;
  T_CALL(wait(&status));
  T_CALL(waitpid(-1, &status, WNOHANG));
  T_CALL(waitpid(1, &status, 0));      // not our child
  T_CALL(waitpid(-1, &status, 0x10));  // WEXITED is a waitid option, not a wait4 one
  siginfo_t info;
  T_CALL(waitid(P_ALL, 0, &info, 0));        // none of WEXITED/WSTOPPED/WCONTINUED
  T_CALL(waitid(P_ALL, 0, &info, WEXITED));  // no children
  T_CALL(waitid(7, 0, &info, WEXITED));      // bad idtype
  pid_t child = fork();
  if (child == 0) _exit(0);
  // Linux reaps the child before it finds the status pointer bad: the child is gone.
  pid_t r = waitpid(child, T_BAD_PTR, 0);
  printf("waitpid(child, bad pointer, 0): %s\n", r < 0 ? t_errname(errno) : "reaped");
  T_CALL(waitpid(child, &status, 0));
  return 0;
}
