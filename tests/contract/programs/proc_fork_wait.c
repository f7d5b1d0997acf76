// fork(2) and wait4(2): the child's exit status reaches the parent; the child has its own
// copy of memory; wait for a specific child and for any child.
#include "contract.h"

static int g_value = 1;

static int Child(void* arg) {
  (void)arg;
  g_value = 2;
  return 42;
}

int main(void) {
  pid_t child = t_fork(Child, NULL);
  int status = 0;
  T_EQ(waitpid(child, &status, 0), child);
  T_TRUE(WIFEXITED(status));
  T_CALL(WEXITSTATUS(status));
  T_CALL(g_value);
  // Two children, reaped in any order by wait(-1); both statuses must come back.
  pid_t a = fork();
  if (a == 0) _exit(3);
  pid_t b = fork();
  if (b == 0) _exit(4);
  int sum = 0;
  for (int i = 0; i < 2; ++i) {
    pid_t r = wait(&status);
    T_TRUE(r == a || r == b);
    sum += WEXITSTATUS(status);
  }
  T_CALL(sum);
  T_CALL(wait(&status));
  return 0;
}
