// FIONREAD on a pipe counts the bytes waiting; other ioctls are ENOTTY [man 2 ioctl_tty].
#include <sys/ioctl.h>

#include "contract.h"

int main(void) {
  int fds[2];
  pipe(fds);
  int n = -1;
  T_CALL(ioctl(fds[0], FIONREAD, &n));
  printf("empty: %d\n", n);
  write(fds[1], "12345", 5);
  write(fds[1], "678", 3);
  T_CALL(ioctl(fds[0], FIONREAD, &n));
  printf("after 8 bytes: %d\n", n);
  T_CALL(ioctl(fds[1], FIONREAD, &n));
  printf("on the write end: %d\n", n);
  struct winsize {
    unsigned short a, b, c, d;
  } ws;
  T_CALL(ioctl(fds[0], TIOCGWINSZ, &ws));
  T_CALL(ioctl(fds[0], 0x12345678, &n));
  T_CALL(ioctl(fds[0], FIONREAD, T_BAD_PTR));
  T_CALL(ioctl(999, FIONREAD, &n));
  T_CALL(ioctl(fds[0], FIONBIO, &(int){1}));
  printf("O_NONBLOCK after FIONBIO: %d\n", (fcntl(fds[0], F_GETFL) & O_NONBLOCK) != 0);
  T_CALL(ioctl(fds[0], FIOCLEX));
  T_CALL(fcntl(fds[0], F_GETFD));
  return 0;
}
