// execve(2) passes argv and envp byte for byte; the new image starts clean.
#include "contract.h"

int main(void) {
  pid_t child = fork();
  if (child == 0) {
    char* argv[] = {"first", "args", "", "with space", "tab\there", "unicode \xc3\xa9", NULL};
    char* envp[] = {"A=1", "EMPTY=", "NOEQUALS", "B=two words", NULL};
    execve(t_helper_path(), argv, envp);
    _exit(127);
  }
  t_wait(child, "helper");
  child = fork();
  if (child == 0) {
    char* envp[] = {"X=y", NULL};
    char* argv1[] = {"only", NULL};
    execve(t_helper_path(), argv1, envp);
    _exit(127);
  }
  t_wait(child, "helper2");
  return 0;
}
