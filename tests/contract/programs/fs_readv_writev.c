// readv/writev gather and scatter in order; iovcnt and length limits [man 2 readv].
#include <limits.h>
#include <sys/uio.h>

#include "contract.h"

int main(void) {
  int fd = open("f", O_RDWR | O_CREAT, 0644);
  struct iovec out[3] = {{"one ", 4}, {"", 0}, {"two three", 9}};
  T_CALL(writev(fd, out, 3));
  lseek(fd, 0, SEEK_SET);
  char a[3], b[20];
  struct iovec in[2] = {{a, 3}, {b, 20}};
  T_CALL(readv(fd, in, 2));
  t_print_bytes("a", a, 3);
  t_print_bytes("b", b, 10);
  T_CALL(writev(fd, out, 0));
  T_CALL(writev(fd, out, -1));
  T_CALL(writev(fd, out, IOV_MAX + 1));
  struct iovec* many = calloc(IOV_MAX, sizeof(struct iovec));
  for (int i = 0; i < IOV_MAX; ++i) {
    many[i].iov_base = "x";
    many[i].iov_len = 1;
  }
  T_CALL(writev(fd, many, IOV_MAX));
  struct iovec huge[2] = {{a, (size_t)-1 / 2}, {b, (size_t)-1 / 2}};
  T_CALL(writev(fd, huge, 2));  // total overflows ssize_t
  return 0;
}
