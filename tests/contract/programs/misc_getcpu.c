// getcpu(2), raw and through sched_getcpu(3), which musl answers from the vDSO's
// __vdso_getcpu [man 2 getcpu, man 7 vdso]. The CPU number varies between runs on a
// multiprocessor, so only its range is printed.
#include <sched.h>

#include "contract.h"

int main(void) {
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  unsigned cpu = 999, node = 999;
  T_CALL(syscall(SYS_getcpu, &cpu, &node, NULL));
  printf("cpu in range: %s, node %u\n", cpu < (unsigned long)cpus ? "true" : "false", node);
  T_CALL(syscall(SYS_getcpu, NULL, NULL, NULL));
  node = 999;
  T_CALL(syscall(SYS_getcpu, T_BAD_PTR, &node, NULL));
  printf("node after a bad cpu pointer: %u\n", node);
  T_CALL(syscall(SYS_getcpu, &cpu, T_BAD_PTR, NULL));
  int c = sched_getcpu();
  printf("sched_getcpu in range: %s\n", c >= 0 && c < cpus ? "true" : "false");
  return 0;
}
