// nice values: getpriority returns them as is (the libc hides the raw 20-nice) [man 2 nice].
#include <sys/resource.h>

#include "contract.h"

int main(void) {
  T_CALL(getpriority(PRIO_PROCESS, 0));
  T_CALL(syscall(SYS_getpriority, PRIO_PROCESS, 0));  // raw: 20 - nice
  T_CALL(setpriority(PRIO_PROCESS, 0, 5));
  T_CALL(getpriority(PRIO_PROCESS, 0));
  T_CALL(syscall(SYS_getpriority, PRIO_PROCESS, 0));
  T_CALL(setpriority(PRIO_PROCESS, 0, 100));  // clamped to 19
  T_CALL(getpriority(PRIO_PROCESS, 0));
  T_CALL(setpriority(99, 0, 0));
  T_CALL(getpriority(PRIO_PROCESS, 0x3fffffff));
  T_CALL(setpriority(PRIO_PROCESS, 0, -5));  // root may lower it
  T_CALL(getpriority(PRIO_PROCESS, 0));
  pid_t child = fork();
  if (child == 0) {
    printf("child inherits: %d\n", getpriority(PRIO_PROCESS, 0));
    setuid(1000);
    printf("unprivileged lower: %s\n",
           setpriority(PRIO_PROCESS, 0, -10) < 0 ? t_errname(errno) : "ok");
    printf("unprivileged raise: %s\n",
           setpriority(PRIO_PROCESS, 0, 10) < 0 ? t_errname(errno) : "ok");
    _exit(0);
  }
  t_wait(child, "child");
  return 0;
}
