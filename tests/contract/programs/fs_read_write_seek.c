// read/write/lseek on a regular file, holes, and the errors of lseek [man 2 lseek].
#include "contract.h"

int main(void) {
  int fd = open("f", O_RDWR | O_CREAT, 0644);
  T_CALL(write(fd, "0123456789", 10));
  T_CALL(lseek(fd, 0, SEEK_CUR));
  T_CALL(lseek(fd, 2, SEEK_SET));
  char buf[64] = {0};
  T_CALL(read(fd, buf, 3));
  t_print_bytes("read", buf, 3);
  T_CALL(lseek(fd, -2, SEEK_END));
  T_CALL(read(fd, buf, 10));
  T_CALL(read(fd, buf, 10));  // EOF
  T_CALL(lseek(fd, -100, SEEK_CUR));
  T_CALL(lseek(fd, 0, 99));
  T_CALL(lseek(fd, 20, SEEK_SET));
  T_CALL(write(fd, "end", 3));
  struct stat st;
  fstat(fd, &st);
  printf("size: %lld\n", (long long)st.st_size);
  T_CALL(pread(fd, buf, 23, 0));
  t_print_bytes("with hole", buf, 23);
  T_CALL(lseek(fd, 0, SEEK_DATA));
  T_CALL(lseek(fd, 100, SEEK_DATA));
  T_CALL(lseek(fd, 100, SEEK_HOLE));
  T_CALL(write(fd, buf, 0));
  T_CALL(read(fd, buf, 0));
  T_CALL(read(999, buf, 1));
  int ro = open("f", O_RDONLY);
  T_CALL(write(ro, "x", 1));
  int wo = open("f", O_WRONLY);
  T_CALL(read(wo, buf, 1));
  int dir = open(".", O_RDONLY);
  T_CALL(read(dir, buf, 1));
  T_CALL(write(dir, buf, 1));
  T_CALL(lseek(dir, 0, SEEK_SET));
  return 0;
}
