// kill(2) argument checks; signal 0 probes existence; a zombie still exists [man 2 kill].
#include "contract.h"

int main(void) {
  T_CALL(kill(getpid(), 0));
  T_CALL(kill(getpid(), 65));
  T_CALL(kill(getpid(), -1));
  T_CALL(kill(0x3fffffff, 0));
  T_CALL(kill(-0x3fffffff, SIGTERM));
  T_CALL(kill(0, 0));
  pid_t child = fork();
  if (child == 0) _exit(0);
  usleep(100 * 1000);
  T_CALL(kill(child, 0));        // zombie: still there
  T_CALL(kill(child, SIGKILL));  // ... and signals to it succeed (and do nothing)
  t_wait(child, "zombie");
  T_CALL(kill(child, 0));
  child = fork();
  if (child == 0) {
    setuid(1000);
    printf("unprivileged kill of root process: %s\n",
           kill(getppid(), 0) < 0 ? t_errname(errno) : "ok");
    _exit(0);
  }
  t_wait(child, "child");
  T_CALL(syscall(SYS_tgkill, getpid(), 0x3fffffff, 0));
  T_CALL(syscall(SYS_tgkill, -1, getpid(), 0));
  T_CALL(syscall(SYS_tkill, 0, 0));
  return 0;
}
