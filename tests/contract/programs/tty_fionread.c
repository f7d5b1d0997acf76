// FIONREAD/TIOCINQ and TIOCOUTQ on ptys; TIOCSTI is privileged-only on 6.2+ so not used;
// TIOCGPGRP without a controlling terminal [man 2 ioctl_tty].
#include <sys/ioctl.h>

#include "pty.h"

int main(void) {
  int master, slave;
  t_open_pty(&master, &slave);
  struct termios t;
  tcgetattr(slave, &t);
  cfmakeraw(&t);
  tcsetattr(slave, TCSANOW, &t);
  int n = -1;
  T_CALL(ioctl(slave, FIONREAD, &n));
  printf("slave, nothing typed: %d\n", n);
  write(master, "12345", 5);
  for (int i = 0; i < 200 && (ioctl(slave, FIONREAD, &n), n < 5); ++i) usleep(10000);
  T_CALL(ioctl(slave, FIONREAD, &n));
  printf("slave after 5 bytes: %d\n", n);
  write(slave, "abc", 3);
  for (int i = 0; i < 200 && (ioctl(master, FIONREAD, &n), n < 3); ++i) usleep(10000);
  T_CALL(ioctl(master, FIONREAD, &n));
  printf("master after 3 bytes: %d\n", n);
  pid_t pgrp;
  T_CALL(ioctl(slave, TIOCGPGRP, &pgrp));
  int excl = 0;
  T_CALL(ioctl(slave, TIOCGEXCL, &excl));
  printf("exclusive: %d\n", excl);
  T_CALL(ioctl(slave, TIOCEXCL));
  T_CALL(ioctl(slave, TIOCGEXCL, &excl));
  printf("exclusive: %d\n", excl);
  T_CALL(ioctl(slave, TIOCNXCL));
  return 0;
}
