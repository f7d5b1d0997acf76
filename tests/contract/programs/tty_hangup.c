// Closing the master hangs up the slave: the session leader with it as controlling
// terminal gets SIGHUP; the slave then reads EOF, writes fail with EIO, poll reports
// POLLHUP [man 4 pts, man 7 credentials "controlling terminal"].
#include "pty.h"

int main(void) {
  int master, slave;
  t_open_pty(&master, &slave);
  char name[64];
  snprintf(name, sizeof(name), "%s", ptsname(master));
  int ready[2];
  pipe(ready);
  pid_t child = fork();
  if (child == 0) {
    close(master);
    close(slave);
    setsid();
    int s = open(name, O_RDWR);  // our controlling terminal now
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigprocmask(SIG_BLOCK, &set, NULL);
    write(ready[1], "r", 1);
    struct timespec ts = {5, 0};
    int sig = sigtimedwait(&set, NULL, &ts);
    printf("session leader got %s\n", sig > 0 ? t_signame(sig) : t_errname(errno));
    char c;
    printf("its read after the hangup: %ld\n", (long)read(s, &c, 1));
    _exit(0);
  }
  char c;
  read(ready[0], &c, 1);
  close(master);
  t_wait(child, "session leader");
  char buf[16];
  T_CALL(read(slave, buf, sizeof(buf)));
  T_CALL(write(slave, "x", 1));
  struct pollfd p = {slave, POLLIN | POLLOUT, 0};
  poll(&p, 1, 0);
  printf("poll: %s%s%s%s\n", p.revents & POLLIN ? "IN " : "", p.revents & POLLOUT ? "OUT " : "",
         p.revents & POLLHUP ? "HUP " : "", p.revents & POLLERR ? "ERR" : "");
  return 0;
}
