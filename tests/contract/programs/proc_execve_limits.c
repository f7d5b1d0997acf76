// execve(2) with arguments beyond the limits: one string over MAX_ARG_STRLEN (32 pages) and
// a total over the stack rlimit's quarter give E2BIG [man 2 execve "Limits on size"].
#include <sys/resource.h>

#include "contract.h"

int main(void) {
  size_t big = 32 * 4096 + 1;
  char* s = malloc(big + 1);
  memset(s, 'a', big);
  s[big] = '\0';
  char* argv[] = {"x", s, NULL};
  char* envp[] = {NULL};
  T_CALL(execve(t_helper_path(), argv, envp));
  s[32 * 4096 - 1] = '\0';  // exactly MAX_ARG_STRLEN with the NUL: allowed
  pid_t child = fork();
  if (child == 0) {
    char* ok_argv[] = {"contract-helper", "exit", "3", s, NULL};
    execve(t_helper_path(), ok_argv, envp);
    printf("execve max-length string: %s\n", t_errname(errno));
    _exit(127);
  }
  t_wait(child, "max-length argument");
  // 64 copies of a 128 KiB string: 8 MiB, more than a quarter of the 8 MiB stack limit.
  char** many = calloc(70, sizeof(char*));
  many[0] = "x";
  for (int i = 1; i < 65; ++i) many[i] = s;
  T_CALL(execve(t_helper_path(), many, envp));
  return 0;
}
