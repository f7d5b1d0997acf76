// getcwd/chdir/fchdir; paths printed relative to the starting directory [man 2 getcwd].
#include "contract.h"

static char g_start[4096];

static void Where(const char* label) {
  char buf[4096];
  if (getcwd(buf, sizeof(buf)) == NULL) {
    printf("%s: getcwd %s\n", label, t_errname(errno));
    return;
  }
  size_t n = strlen(g_start);
  printf("%s: %s\n", label, strncmp(buf, g_start, n) == 0 ? buf + n : "(outside)");
}

int main(void) {
  T_REQUIRE(getcwd(g_start, sizeof(g_start)) != NULL);
  T_REQUIRE(mkdir("a", 0755) == 0 && mkdir("a/b", 0755) == 0);
  T_CALL(chdir("a/b"));
  Where("after chdir a/b");
  T_CALL(chdir(".."));
  Where("after chdir ..");
  int dirfd = open("b", O_RDONLY | O_DIRECTORY);
  T_CALL(fchdir(dirfd));
  Where("after fchdir b");
  T_CALL(chdir("missing"));
  t_make_file("file", "x");
  T_CALL(chdir("file"));
  int filefd = open("file", O_RDONLY);
  T_CALL(fchdir(filefd));
  T_CALL(fchdir(999));
  T_CALL(chdir(""));
  char small[2];
  T_CALL(syscall(SYS_getcwd, small, sizeof(small)));
  T_CALL(syscall(SYS_getcwd, small, 0));
  T_CALL(syscall(SYS_getcwd, T_BAD_PTR, 4096));
  char buf[4096];
  long len = syscall(SYS_getcwd, buf, sizeof(buf));
  T_EQ(len, (long)strlen(buf) + 1);  // the raw syscall returns the length with the NUL
  T_REQUIRE(chdir(g_start) == 0);
  T_REQUIRE(mkdir("gone", 0755) == 0);
  T_CALL(chdir("gone"));
  T_CALL(rmdir("../gone"));
  T_CALL(syscall(SYS_getcwd, buf, sizeof(buf)));
  T_CALL(open(".", O_RDONLY | O_CREAT | O_EXCL, 0600));
  T_CALL(mkdir("sub", 0755));  // in a removed directory
  return 0;
}
