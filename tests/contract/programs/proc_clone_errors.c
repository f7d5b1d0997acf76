// clone(2) flag combinations that Linux rejects [man 2 clone, ERRORS].
#include <sched.h>

#include "contract.h"

static long RawClone(unsigned long flags) { return syscall(SYS_clone, flags, NULL, NULL, NULL, 0); }

int main(void) {
  T_CALL(RawClone(CLONE_SIGHAND));             // SIGHAND without VM
  T_CALL(RawClone(CLONE_THREAD));              // THREAD without SIGHAND
  T_CALL(RawClone(CLONE_THREAD | CLONE_VM));   // still no SIGHAND
  T_CALL(RawClone(CLONE_FS | CLONE_NEWNS));    // NEWNS with FS
  T_CALL(RawClone(CLONE_NEWUSER | CLONE_FS));  // NEWUSER with FS
  // A plain fork via clone(SIGCHLD) works and reports like fork.
  long child = RawClone(SIGCHLD);
  if (child == 0) _exit(9);
  T_TRUE(child > 0);
  t_wait((pid_t)child, "clone(SIGCHLD) child");
  return 0;
}
