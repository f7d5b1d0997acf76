// F_SETPIPE_SZ rounds up to a power-of-two number of pages; too small becomes one page;
// shrinking below the data held fails with EBUSY [man 2 fcntl "Changing the capacity"].
#include "contract.h"

int main(void) {
  int fds[2];
  pipe(fds);
  T_CALL(fcntl(fds[0], F_SETPIPE_SZ, 4096));
  T_CALL(fcntl(fds[0], F_SETPIPE_SZ, 5000));
  T_CALL(fcntl(fds[0], F_SETPIPE_SZ, 1));
  T_CALL(fcntl(fds[1], F_SETPIPE_SZ, 100000));
  T_CALL(fcntl(fds[0], F_GETPIPE_SZ));
  T_CALL(fcntl(fds[0], F_SETPIPE_SZ, -1));
  char buf[65536];
  memset(buf, 1, sizeof(buf));
  fcntl(fds[1], F_SETFL, O_NONBLOCK);
  long n = write(fds[1], buf, sizeof(buf));
  printf("wrote %ld into a %d-byte pipe\n", n, fcntl(fds[0], F_GETPIPE_SZ));
  T_CALL(fcntl(fds[0], F_SETPIPE_SZ, 4096));
  return 0;
}
