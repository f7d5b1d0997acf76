// timerfd: read returns the expiration count as 8 bytes; EAGAIN when non-blocking and not
// expired; errors [man 2 timerfd_create].
#include <poll.h>
#include <sys/timerfd.h>

#include "contract.h"

int main(void) {
  int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  T_CALL(fd);
  unsigned long long count = 0;
  T_CALL(read(fd, &count, sizeof(count)));
  struct itimerspec spec = {{0, 0}, {0, 20 * 1000 * 1000}};
  T_CALL(timerfd_settime(fd, 0, &spec, NULL));
  struct pollfd p = {fd, POLLIN, 0};
  T_CALL(poll(&p, 1, 5000));
  T_CALL(read(fd, &count, sizeof(count)));
  printf("expirations: %llu\n", count);
  T_CALL(read(fd, &count, 4));
  T_CALL(read(fd, &count, sizeof(count)));
  struct itimerspec cur;
  T_CALL(timerfd_gettime(fd, &cur));
  printf("disarmed: %ld.%09ld\n", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec);
  struct itimerspec periodic = {{0, 5 * 1000 * 1000}, {0, 5 * 1000 * 1000}};
  timerfd_settime(fd, 0, &periodic, NULL);
  usleep(60 * 1000);
  read(fd, &count, sizeof(count));
  printf("periodic: several expirations: %s\n", count >= 2 ? "true" : "false");
  T_CALL(timerfd_create(99, 0));
  T_CALL(timerfd_create(CLOCK_MONOTONIC, 0x1234));
  struct itimerspec bad = {{0, 0}, {0, -1}};
  T_CALL(timerfd_settime(fd, 0, &bad, NULL));
  T_CALL(timerfd_settime(fd, 0x80, &spec, NULL));
  T_CALL(timerfd_settime(0, 0, &spec, NULL));
  T_CALL(write(fd, &count, sizeof(count)));
  int blocking = timerfd_create(CLOCK_MONOTONIC, 0);
  timerfd_settime(blocking, 0, &spec, NULL);
  T_CALL(read(blocking, &count, sizeof(count)));  // blocks ~20ms
  return 0;
}
