// TIOCSWINSZ/TIOCGWINSZ on either side; a change sends SIGWINCH to the foreground group
// of the terminal's session [man 2 ioctl_tty].
#include <sys/ioctl.h>

#include "pty.h"

int main(void) {
  int master, slave;
  t_open_pty(&master, &slave);
  struct winsize ws;
  T_CALL(ioctl(slave, TIOCGWINSZ, &ws));
  printf("initial: %d rows %d cols\n", ws.ws_row, ws.ws_col);
  struct winsize set = {24, 80, 0, 0};
  T_CALL(ioctl(master, TIOCSWINSZ, &set));
  ioctl(slave, TIOCGWINSZ, &ws);
  printf("after set: %d rows %d cols\n", ws.ws_row, ws.ws_col);
  int go[2], done[2];
  pipe(go);
  pipe(done);
  pid_t child = fork();
  if (child == 0) {
    setsid();
    int s = open(ptsname(master), O_RDWR);  // becomes the controlling terminal
    sigset_t set_w;
    sigemptyset(&set_w);
    sigaddset(&set_w, SIGWINCH);
    sigprocmask(SIG_BLOCK, &set_w, NULL);
    write(done[1], "r", 1);
    int sig = 0;
    struct timespec ts = {5, 0};
    sig = sigtimedwait(&set_w, NULL, &ts);
    printf("child: got %s\n", sig > 0 ? t_signame(sig) : t_errname(errno));
    (void)s;
    _exit(0);
  }
  char c;
  read(done[0], &c, 1);
  struct winsize bigger = {50, 132, 0, 0};
  int r = ioctl(master, TIOCSWINSZ, &bigger);  // printed after the child's line
  t_wait(child, "child");
  printf("TIOCSWINSZ while the child waits: %d\n", r);
  T_CALL(ioctl(master, TIOCSWINSZ, &bigger));  // same size: no signal, still ok
  T_CALL(ioctl(0, TIOCGWINSZ, &ws));
  T_CALL(ioctl(slave, TIOCGWINSZ, T_BAD_PTR));
  return 0;
}
