// select(2)/pselect6 on pipes: readiness bits, timeout rounding, EBADF, EINVAL [man 2 select].
#include <sys/select.h>
#include <time.h>

#include "contract.h"

int main(void) {
  int fds[2];
  pipe(fds);
  fd_set r, w;
  FD_ZERO(&r);
  FD_ZERO(&w);
  FD_SET(fds[0], &r);
  FD_SET(fds[1], &w);
  struct timeval tv = {0, 0};
  T_CALL(select(fds[1] + 1, &r, &w, NULL, &tv));
  printf("readable %d writable %d\n", FD_ISSET(fds[0], &r), FD_ISSET(fds[1], &w));
  write(fds[1], "x", 1);
  FD_ZERO(&r);
  FD_SET(fds[0], &r);
  T_CALL(select(fds[0] + 1, &r, NULL, NULL, &tv));
  FD_ZERO(&r);
  FD_SET(60, &r);
  T_CALL(select(61, &r, NULL, NULL, &tv));
  T_CALL(select(-1, NULL, NULL, NULL, &tv));
  struct timeval bad = {0, -1};
  T_CALL(select(0, NULL, NULL, NULL, &bad));
  struct timeval small = {0, 20000};
  T_CALL(select(0, NULL, NULL, NULL, &small));
  printf("timeout left: %ld.%06ld\n", (long)small.tv_sec, (long)small.tv_usec);
  struct timespec ts = {0, 1000};
  FD_ZERO(&r);
  FD_SET(fds[0], &r);
  T_CALL(pselect(fds[0] + 1, &r, NULL, NULL, &ts, NULL));
  return 0;
}
