// vfork(2): the parent is suspended until the child execs or exits; they share memory.
#include "contract.h"

int main(void) {
  volatile int shared = 1;
  pid_t child = vfork();
  if (child == 0) {
    shared = 2;  // visible to the parent: same memory until exec/exit
    _exit(7);
  }
  printf("after vfork: shared=%d\n", shared);
  t_wait(child, "vfork child");
  child = vfork();
  if (child == 0) {
    char* argv[] = {"contract-helper", "exit", "5", NULL};
    execve(t_helper_path(), argv, argv + 3);
    _exit(127);
  }
  t_wait(child, "vfork+exec child");
  return 0;
}
