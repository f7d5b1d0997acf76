// sched_yield, scheduling policy and parameters of a normal process [man 2 sched_setscheduler].
#include <sched.h>

#include "contract.h"

int main(void) {
  T_CALL(sched_yield());
  // Raw calls: musl's sched_getscheduler/sched_getparam return ENOSYS by design.
  T_CALL(syscall(SYS_sched_getscheduler, 0));
  struct sched_param p = {.sched_priority = -1};
  T_CALL(syscall(SYS_sched_getparam, 0, &p));
  printf("priority %d\n", p.sched_priority);
  T_CALL(sched_get_priority_max(SCHED_FIFO));
  T_CALL(sched_get_priority_min(SCHED_FIFO));
  T_CALL(sched_get_priority_max(SCHED_OTHER));
  T_CALL(sched_get_priority_max(99));
  T_CALL(syscall(SYS_sched_getscheduler, 0x3fffffff));
  p.sched_priority = 5;
  T_CALL(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &p));  // OTHER needs priority 0
  T_CALL(syscall(SYS_sched_setscheduler, 0, 99, &p));
  struct timespec ts;
  T_CALL(sched_rr_get_interval(0, &ts));
  cpu_set_t set;
  T_CALL(sched_getaffinity(0, sizeof(set), &set) >= 0);
  T_CALL(syscall(SYS_sched_getaffinity, 0, 1, &set));
  return 0;
}
