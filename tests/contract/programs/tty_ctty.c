// Controlling terminals: a session leader acquires one by opening a tty (without
// O_NOCTTY) or TIOCSCTTY; tcgetpgrp/tcsetpgrp/tcgetsid; /dev/tty; TIOCNOTTY [man 4 tty].
#include <sys/ioctl.h>

#include "pty.h"

int main(void) {
  int master, slave;
  t_open_pty(&master, &slave);
  T_CALL(open("/dev/tty", O_RDWR));  // we have no controlling terminal
  T_CALL(tcgetpgrp(slave));
  T_CALL(ioctl(slave, TIOCSCTTY, 0));  // session leader: allowed
  printf("tcgetpgrp is our group: %s\n", tcgetpgrp(slave) == getpgrp() ? "true" : "false");
  printf("tcgetsid is our session: %s\n", tcgetsid(slave) == getsid(0) ? "true" : "false");
  int tty = open("/dev/tty", O_RDWR);
  T_TRUE(tty >= 0);
  pid_t child = fork();
  if (child == 0) {
    printf("child: TIOCSCTTY not a session leader: %s\n",
           ioctl(slave, TIOCSCTTY, 0) < 0 ? t_errname(errno) : "ok");
    setpgid(0, 0);
    printf("child: in a background group, tcgetpgrp still works: %s\n",
           tcgetpgrp(slave) > 0 ? "true" : "false");
    _exit(0);
  }
  t_wait(child, "child");
  child = fork();
  if (child == 0) {
    setsid();
    printf("child: new session, the terminal is another session's: %s\n",
           ioctl(slave, TIOCSCTTY, 0) < 0 ? t_errname(errno) : "ok");
    printf("child: /dev/tty without a ctty: %s\n",
           open("/dev/tty", O_RDWR) < 0 ? t_errname(errno) : "ok");
    _exit(0);
  }
  t_wait(child, "child in a new session");
  child = fork();
  if (child == 0) {
    setpgid(0, 0);
    _exit(0);
  }
  waitpid(child, NULL, 0);
  T_CALL(tcsetpgrp(slave, 0x3fffffff));
  T_CALL(tcsetpgrp(slave, getpgrp()));
  signal(SIGHUP, SIG_IGN);
  T_CALL(ioctl(slave, TIOCNOTTY));
  T_CALL(open("/dev/tty", O_RDWR));
  return 0;
}
