// poll(2) on pipes: POLLOUT on an empty pipe, POLLIN with data, POLLHUP when the writer is
// gone, POLLERR when the reader is gone; POLLNVAL for a closed fd [man 2 poll].
#include <poll.h>

#include "contract.h"

static void Poll(const char* what, int fd, short events) {
  struct pollfd p = {fd, events, 0};
  int n = poll(&p, 1, 0);
  printf("%s: n=%d revents=%s%s%s%s%s\n", what, n, p.revents & POLLIN ? "IN " : "",
         p.revents & POLLOUT ? "OUT " : "", p.revents & POLLHUP ? "HUP " : "",
         p.revents & POLLERR ? "ERR " : "", p.revents & POLLNVAL ? "NVAL " : "");
}

int main(void) {
  int fds[2];
  pipe(fds);
  Poll("read end, empty", fds[0], POLLIN);
  Poll("write end, empty", fds[1], POLLOUT);
  write(fds[1], "x", 1);
  Poll("read end, data", fds[0], POLLIN | POLLOUT);
  close(fds[1]);
  Poll("read end, writer gone, data left", fds[0], POLLIN);
  char c;
  read(fds[0], &c, 1);
  Poll("read end, writer gone, empty", fds[0], POLLIN);
  Poll("read end, no events asked", fds[0], 0);
  pipe(fds);
  close(fds[0]);
  Poll("write end, reader gone", fds[1], POLLOUT);
  Poll("closed fd", 77, POLLIN);
  struct pollfd neg = {-1, POLLIN, 123};
  T_CALL(poll(&neg, 1, 0));
  printf("negative fd revents: %d\n", neg.revents);
  T_CALL(poll(NULL, 0, 10));
  T_CALL(poll(T_BAD_PTR, 1, 0));
  T_CALL(poll(&neg, 1 << 30, 0));
  // Blocking poll woken by a child's write.
  pipe(fds);
  pid_t child = fork();
  if (child == 0) {
    usleep(50000);
    write(fds[1], "y", 1);
    _exit(0);
  }
  struct pollfd p = {fds[0], POLLIN, 0};
  T_CALL(poll(&p, 1, 5000));
  t_wait(child, "child");
  return 0;
}
