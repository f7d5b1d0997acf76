// ISIG: ^C, ^\ and ^Z typed on the master send SIGINT, SIGQUIT and SIGTSTP to the slave's
// foreground process group [man 3 termios ISIG].
#include <sys/ioctl.h>

#include "pty.h"

int main(void) {
  int master, slave;
  t_open_pty(&master, &slave);
  int ready[2];
  pipe(ready);
  pid_t child = fork();
  if (child == 0) {
    setsid();
    int s = open(ptsname(master), O_RDWR);
    (void)s;
    signal(SIGTSTP, SIG_IGN);  // otherwise an orphaned group ignores it anyway
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGQUIT);
    sigaddset(&set, SIGWINCH);
    sigprocmask(SIG_BLOCK, &set, NULL);
    write(ready[1], "r", 1);
    for (int i = 0; i < 2; ++i) {
      struct timespec ts = {5, 0};
      int sig = sigtimedwait(&set, NULL, &ts);
      printf("child got %s\n", sig > 0 ? t_signame(sig) : t_errname(errno));
    }
    _exit(0);
  }
  char c;
  read(ready[0], &c, 1);
  write(master, "\x03", 1);
  usleep(100 * 1000);
  write(master, "\x1c", 1);
  t_wait(child, "child");
  char buf[32];
  long n = t_read_avail(master, buf, sizeof(buf), 300);
  t_print_bytes("echoed control characters", buf, n);
  return 0;
}
