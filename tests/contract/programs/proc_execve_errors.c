// execve(2) failures and their errno [man 2 execve].
#include "contract.h"

int main(void) {
  char* argv[] = {"x", NULL};
  char* envp[] = {NULL};
  T_CALL(execve("does-not-exist", argv, envp));
  T_CALL(execve("", argv, envp));
  T_CALL(execve(NULL, argv, envp));
  T_REQUIRE(mkdir("dir", 0755) == 0);
  T_CALL(execve("dir", argv, envp));
  t_make_file("plain", "just text\n");
  T_CALL(execve("plain", argv, envp));  // no execute permission
  T_REQUIRE(chmod("plain", 0755) == 0);
  T_CALL(execve("plain", argv, envp));  // executable but not a known format
  t_make_file("empty", "");
  T_REQUIRE(chmod("empty", 0755) == 0);
  T_CALL(execve("empty", argv, envp));
  T_CALL(execve("plain/x", argv, envp));
  T_CALL(execve(t_helper_path(), T_BAD_PTR, envp));
  T_CALL(execve(t_helper_path(), argv, T_BAD_PTR));
  t_make_file("badelf", "\177ELF\2\1\1\0\0\0\0\0\0\0\0\0garbage");
  T_REQUIRE(chmod("badelf", 0755) == 0);
  T_CALL(execve("badelf", argv, envp));
  T_REQUIRE(symlink("loop", "loop") == 0);
  T_CALL(execve("loop", argv, envp));
  return 0;
}
