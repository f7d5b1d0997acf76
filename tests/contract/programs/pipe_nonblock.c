// O_NONBLOCK pipes: EAGAIN on empty read and on full write; capacity 64 KiB; a write of at
// most PIPE_BUF is all-or-nothing [man 7 pipe].
#include <limits.h>

#include "contract.h"

int main(void) {
  int fds[2];
  T_CALL(pipe2(fds, O_NONBLOCK));
  char buf[4096];
  T_CALL(read(fds[0], buf, 1));
  memset(buf, 'x', sizeof(buf));
  long total = 0, n;
  while ((n = write(fds[1], buf, sizeof(buf))) > 0) total += n;
  printf("filled %ld bytes, then %s\n", total, t_errname(errno));
  T_CALL(write(fds[1], buf, 1));
  T_CALL(read(fds[0], buf, 100));
  T_CALL(write(fds[1], buf, PIPE_BUF));      // 100 bytes free: not enough for an atomic 4096
  T_CALL(write(fds[1], buf, PIPE_BUF + 1));  // non-atomic: partial? No room for a page
  T_CALL(read(fds[0], buf, 4096));
  T_CALL(write(fds[1], buf, PIPE_BUF + 100));  // now there is room: may be partial
  T_CALL(fcntl(fds[0], F_GETPIPE_SZ));
  printf("PIPE_BUF: %d\n", PIPE_BUF);
  close(fds[1]);
  long drained = 0;
  while ((n = read(fds[0], buf, sizeof(buf))) > 0) drained += n;
  printf("drained %ld, then read returns %ld\n", drained, n);
  return 0;
}
