// unlink(2): removing names; open files live on until closed [man 2 unlink].
#include "contract.h"

int main(void) {
  t_make_file("f", "still here");
  int fd = open("f", O_RDONLY);
  T_CALL(unlink("f"));
  T_CALL(unlink("f"));
  char buf[32] = {0};
  T_CALL(read(fd, buf, sizeof(buf)));
  t_print_bytes("read after unlink", buf, 10);
  struct stat st;
  fstat(fd, &st);
  printf("nlink after unlink: %lu\n", (unsigned long)st.st_nlink);
  mkdir("d", 0755);
  T_CALL(unlink("d"));
  T_CALL(unlinkat(AT_FDCWD, "d", AT_REMOVEDIR));
  T_CALL(unlinkat(AT_FDCWD, "d", 0x1));
  T_CALL(unlink(""));
  t_make_file("g", "g");
  T_CALL(unlink("g/"));
  symlink("g", "ln");
  T_CALL(unlink("ln"));
  T_CALL(access("g", F_OK));
  T_CALL(unlink("."));
  return 0;
}
