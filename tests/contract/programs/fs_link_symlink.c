// link(2), symlink(2), readlink(2) [man 2 link, man 2 symlink, man 2 readlink].
#include "contract.h"

int main(void) {
  t_make_file("f", "data");
  T_CALL(link("f", "g"));
  struct stat st;
  stat("f", &st);
  printf("nlink after link: %lu\n", (unsigned long)st.st_nlink);
  T_CALL(link("f", "g"));
  T_CALL(link("missing", "h"));
  mkdir("d", 0755);
  T_CALL(link("d", "d2"));
  T_CALL(link("f", "nodir/x"));
  T_CALL(symlink("f", "s"));
  T_CALL(symlink("f", "s"));
  T_CALL(symlink("", "empty"));
  T_CALL(symlink("anything", ""));
  char buf[64];
  T_CALL(readlink("s", buf, sizeof(buf)));
  T_CALL(readlink("s", buf, 0));
  memset(buf, '#', sizeof(buf));
  T_CALL(readlink("s", buf, 1));
  t_print_bytes("truncated readlink", buf, 2);
  T_CALL(readlink("f", buf, sizeof(buf)));
  T_CALL(readlink("missing", buf, sizeof(buf)));
  T_CALL(symlink("/some/absolute/../path", "abs"));
  long n = readlink("abs", buf, sizeof(buf));
  t_print_bytes("abs", buf, n);
  // link to a symlink links the symlink itself (no follow), linkat with AT_SYMLINK_FOLLOW follows.
  T_CALL(link("s", "s-hard"));
  lstat("s-hard", &st);
  printf("s-hard is a symlink: %s\n", S_ISLNK(st.st_mode) ? "true" : "false");
  T_CALL(linkat(AT_FDCWD, "s", AT_FDCWD, "s-follow", AT_SYMLINK_FOLLOW));
  lstat("s-follow", &st);
  printf("s-follow is regular: %s\n", S_ISREG(st.st_mode) ? "true" : "false");
  T_CALL(linkat(AT_FDCWD, "s", AT_FDCWD, "bad", 0x12345));
  T_CALL(symlink("d", "sd"));
  T_CALL(open("sd/", O_RDONLY | O_DIRECTORY) >= 0);
  T_CALL(readlinkat(AT_FDCWD, "sd", buf, sizeof(buf)));
  return 0;
}
