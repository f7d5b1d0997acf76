// pty.h: opens a pseudo-terminal pair for the tty contract programs.
#ifndef ARAMID_TESTS_CONTRACT_PTY_H_
#define ARAMID_TESTS_CONTRACT_PTY_H_
#include <poll.h>
#include <termios.h>

#include "contract.h"

// Opens a master/slave pair (no controlling terminal); exits the program on failure.
static T_UNUSED void t_open_pty(int* master, int* slave) {
  *master = posix_openpt(O_RDWR | O_NOCTTY);
  T_REQUIRE(*master >= 0);
  T_REQUIRE(grantpt(*master) == 0 && unlockpt(*master) == 0);
  *slave = open(ptsname(*master), O_RDWR | O_NOCTTY);
  T_REQUIRE(*slave >= 0);
}

// Reads what is available on `fd` within `ms` milliseconds (stops at the first quiet gap).
static T_UNUSED long t_read_avail(int fd, char* buf, size_t size, int ms) {
  long total = 0;
  while ((size_t)total < size) {
    struct pollfd p = {fd, POLLIN, 0};
    if (poll(&p, 1, total == 0 ? ms : 200) <= 0 || !(p.revents & POLLIN)) break;
    long n = read(fd, buf + total, size - total);
    if (n <= 0) break;
    total += n;
  }
  return total;
}
// Waits until `fd` is readable (a pty's input is pushed to the line discipline
// asynchronously, so a write on the other side is not readable at once); 0 on time-out.
static T_UNUSED int t_wait_readable(int fd, int ms) {
  struct pollfd p = {fd, POLLIN, 0};
  return poll(&p, 1, ms) > 0 && (p.revents & POLLIN);
}
#endif  // ARAMID_TESTS_CONTRACT_PTY_H_
