// pread/pwrite use their own offset and leave the file position alone; O_APPEND and pwrite
// [man 2 pwrite BUGS: Linux appends].
#include <sys/uio.h>

#include "contract.h"

int main(void) {
  int fd = open("f", O_RDWR | O_CREAT, 0644);
  write(fd, "abcdefghij", 10);
  lseek(fd, 3, SEEK_SET);
  char buf[32] = {0};
  T_CALL(pread(fd, buf, 4, 5));
  t_print_bytes("pread@5", buf, 4);
  T_CALL(lseek(fd, 0, SEEK_CUR));
  T_CALL(pwrite(fd, "XY", 2, 8));
  T_CALL(pwrite(fd, "Z", 1, 15));
  T_CALL(lseek(fd, 0, SEEK_CUR));
  T_CALL(pread(fd, buf, 32, 0));
  t_print_bytes("file", buf, 16);
  T_CALL(pread(fd, buf, 4, -1));
  T_CALL(pwrite(fd, buf, 4, -1));
  T_CALL(pread(fd, buf, 4, 1000));
  int app = open("f", O_WRONLY | O_APPEND);
  T_CALL(pwrite(app, "AP", 2, 0));  // Linux: appended anyway
  T_CALL(pread(fd, buf, 32, 0));
  t_print_bytes("after append pwrite", buf, 18);
  struct iovec iov[2] = {{buf, 2}, {buf + 10, 3}};
  T_CALL(preadv(fd, iov, 2, 1));
  t_print_bytes("preadv", buf, 2);
  t_print_bytes("preadv2", buf + 10, 3);
  int fds[2];
  pipe(fds);
  T_CALL(pread(fds[0], buf, 1, 0));
  T_CALL(pwrite(fds[1], buf, 1, 0));
  return 0;
}
