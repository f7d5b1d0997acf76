// rename(2)/renameat2(2) rules and errors [man 2 rename].
#include "contract.h"

int main(void) {
  t_make_file("a", "A");
  t_make_file("b", "B");
  mkdir("d", 0755);
  mkdir("e", 0755);
  mkdir("full", 0755);
  t_make_file("full/x", "x");
  T_CALL(rename("a", "b"));
  char buf[4] = {0};
  int fd = open("b", O_RDONLY);
  read(fd, buf, 1);
  printf("b now holds: %s\n", buf);
  T_CALL(access("a", F_OK));
  T_CALL(rename("b", "b"));
  T_CALL(rename("missing", "c"));
  T_CALL(rename("b", "d"));
  T_CALL(rename("d", "b"));
  T_CALL(rename("d", "full"));
  T_CALL(rename("d", "e"));
  T_CALL(access("d", F_OK));
  T_CALL(rename("e", "e/sub"));
  T_CALL(rename(".", "x"));
  T_CALL(rename("e", "."));
  T_CALL(rename("b", "nodir/b"));
  T_CALL(rename("b", ""));
  t_make_file("c", "C");
  T_CALL(syscall(SYS_renameat2, AT_FDCWD, "c", AT_FDCWD, "b", 1 /* RENAME_NOREPLACE */));
  T_CALL(syscall(SYS_renameat2, AT_FDCWD, "c", AT_FDCWD, "new", 1));
  T_CALL(syscall(SYS_renameat2, AT_FDCWD, "new", AT_FDCWD, "b", 2 /* RENAME_EXCHANGE */));
  fd = open("new", O_RDONLY);
  read(fd, buf, 1);
  printf("after exchange, new holds: %s\n", buf);
  T_CALL(syscall(SYS_renameat2, AT_FDCWD, "new", AT_FDCWD, "zz", 2));
  T_CALL(syscall(SYS_renameat2, AT_FDCWD, "new", AT_FDCWD, "b", 3));
  T_CALL(rename("b", "e/b"));
  T_CALL(access("e/b", F_OK));
  T_CALL(rename("e/", "f"));
  T_CALL(rename("new/", "g"));
  return 0;
}
