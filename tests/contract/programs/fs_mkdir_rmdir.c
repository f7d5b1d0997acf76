// mkdir(2) and rmdir(2) errors [man 2 mkdir, man 2 rmdir].
#include "contract.h"

int main(void) {
  T_CALL(mkdir("d", 0755));
  T_CALL(mkdir("d", 0755));
  T_CALL(mkdir("d/e", 0755));
  T_CALL(mkdir("missing/e", 0755));
  t_make_file("file", "x");
  T_CALL(mkdir("file", 0755));
  T_CALL(mkdir("file/e", 0755));
  T_CALL(mkdir("", 0755));
  T_CALL(mkdir("trailing/", 0755));
  T_CALL(rmdir("d"));
  T_CALL(rmdir("d/e"));
  T_CALL(rmdir("d"));
  T_CALL(rmdir("d"));
  T_CALL(rmdir("file"));
  T_CALL(rmdir("."));
  T_CALL(rmdir(".."));
  T_CALL(mkdir("x", 0755));
  T_CALL(rmdir("x/."));
  T_CALL(rmdir("x/.."));
  T_CALL(rmdir("x/"));
  T_CALL(symlink("file", "ln"));
  T_CALL(mkdir("ln", 0755));
  T_CALL(rmdir("ln"));
  T_CALL(mkdirat(999, "y", 0755));
  T_CALL(mkdirat(AT_FDCWD, "y", 0755));
  struct stat st;
  stat(".", &st);
  mkdir("p", 0755);
  stat("p", &st);
  printf("new dir nlink: %lu\n", (unsigned long)st.st_nlink);
  mkdir("p/q", 0755);
  stat("p", &st);
  printf("with a subdir: %lu\n", (unsigned long)st.st_nlink);
  return 0;
}
