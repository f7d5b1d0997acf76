// The line discipline over a pseudo-terminal: what the slave reads and what the master sees
// echoed for erase/kill/werase/EOF, raw mode with VMIN/VTIME, ^C to the foreground group
// of a session whose controlling terminal is the slave, TIOCGPGRP/TIOCGSID, and hang-up.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static void Show(const char* what, const char* s, ssize_t n) {
  printf("%s(%zd): \"", what, n);
  for (ssize_t i = 0; i < n; ++i) {
    unsigned char c = s[i];
    if (c == '\r')
      printf("\\r");
    else if (c == '\n')
      printf("\\n");
    else if (c == '\b')
      printf("\\b");
    else if (c < 32 || c == 127)
      printf("\\x%02x", c);
    else
      putchar(c);
  }
  printf("\"\n");
}

// Everything the master has to read right now (echoes and output).
static void DrainMaster(int m, const char* what) {
  char buf[512];
  ssize_t total = 0;
  struct pollfd p = {m, POLLIN, 0};
  while (poll(&p, 1, 200) == 1 && (p.revents & POLLIN)) {
    ssize_t n = read(m, buf + total, sizeof(buf) - total);
    if (n <= 0) break;
    total += n;
  }
  Show(what, buf, total);
}

static void SlaveRead(int s, const char* what) {
  char buf[256];
  ssize_t n = read(s, buf, sizeof(buf));
  Show(what, buf, n);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int m = posix_openpt(O_RDWR | O_NOCTTY);
  grantpt(m);
  unlockpt(m);
  int s = open(ptsname(m), O_RDWR | O_NOCTTY);
  printf("opened: %d\n", m >= 0 && s >= 0);

  (void)!write(m, "hello\r", 6);
  SlaveRead(s, "line");
  DrainMaster(m, "echo");
  (void)!write(m,
               "abc\x7f"
               "d\x17"
               "x y\x15"
               "ok\r",
               13);
  SlaveRead(s, "edited");
  DrainMaster(m, "echo");
  (void)!write(m, "\x04", 1);
  SlaveRead(s, "eof");
  (void)!write(m, "ctl\x01\r", 5);
  SlaveRead(s, "ctl");
  DrainMaster(m, "echo");
  (void)!write(s, "out\n", 4);
  DrainMaster(m, "onlcr");

  struct termios t;
  tcgetattr(s, &t);
  printf("defaults: icanon=%d echo=%d isig=%d icrnl=%d onlcr=%d vmin=%d verase=%d\n",
         !!(t.c_lflag & ICANON), !!(t.c_lflag & ECHO), !!(t.c_lflag & ISIG), !!(t.c_iflag & ICRNL),
         !!(t.c_oflag & ONLCR), t.c_cc[VMIN], t.c_cc[VERASE]);
  cfmakeraw(&t);
  t.c_cc[VMIN] = 3;
  t.c_cc[VTIME] = 0;
  tcsetattr(s, TCSANOW, &t);
  (void)!write(m, "ab\x7f\r\x03", 5);
  char buf[16];
  ssize_t n = read(s, buf, sizeof(buf));
  Show("raw", buf, n);
  t.c_cc[VMIN] = 0;
  t.c_cc[VTIME] = 1;  // 0.1 s, nothing comes: read returns 0
  tcsetattr(s, TCSANOW, &t);
  n = read(s, buf, sizeof(buf));
  printf("vtime timeout read=%zd\n", n);

  // A session with the slave as controlling terminal; ^C goes to its foreground group.
  tcgetattr(s, &t);
  t.c_lflag |= ICANON | ISIG | ECHO;
  tcsetattr(s, TCSANOW, &t);
  int sync_pipe[2];
  (void)!pipe(sync_pipe);
  pid_t c = fork();
  if (c == 0) {
    setsid();
    int rc = ioctl(s, TIOCSCTTY, 0);
    pid_t fg = tcgetpgrp(s);
    pid_t sid = 0;
    ioctl(s, TIOCGSID, &sid);
    printf("child: sctty=%d fg_is_self=%d sid_is_self=%d\n", rc, fg == getpid(), sid == getpid());
    (void)!write(sync_pipe[1], "r", 1);
    char b[8];
    (void)!read(s, b, sizeof(b));  // ^C arrives instead of a line
    _exit(0);
  }
  char r;
  (void)!read(sync_pipe[0], &r, 1);
  usleep(100000);
  (void)!write(m, "zz\x03", 3);  // the unread echo of "zz" is flushed with the input
  int st;
  waitpid(c, &st, 0);
  printf("child: killed by %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
  DrainMaster(m, "echo");

  // Closing the master hangs the slave up: reads see end of file.
  close(m);
  n = read(s, buf, sizeof(buf));
  printf("slave read after master close=%zd\n", n);
  return 0;
}
