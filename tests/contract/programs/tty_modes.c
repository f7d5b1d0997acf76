// Output and input processing flags: OPOST/ONLCR off passes "\n" unchanged, ICRNL maps CR
// to NL, INLCR/IGNCR, ECHO off, ECHOCTL shows ^X, TOSTOP is off by default [man 3 termios].
#include "pty.h"

static struct termios g_t;
static int g_master, g_slave;

static void Set(void) { tcsetattr(g_slave, TCSANOW, &g_t); }
static void Feed(const char* label, const char* in, size_t n) {
  char buf[64];
  write(g_master, in, n);
  t_wait_readable(g_slave, 2000);
  fcntl(g_slave, F_SETFL, O_NONBLOCK);
  long r = read(g_slave, buf, sizeof(buf));
  fcntl(g_slave, F_SETFL, 0);
  if (r < 0) {
    printf("%s: slave read %s\n", label, t_errname(errno));
  } else {
    t_print_bytes(label, buf, r);
  }
  r = t_read_avail(g_master, buf, sizeof(buf), 100);
  t_print_bytes("  echo", buf, r > 0 ? r : 0);
}

int main(void) {
  t_open_pty(&g_master, &g_slave);
  tcgetattr(g_slave, &g_t);
  Feed("CR with ICRNL", "a\r", 2);
  g_t.c_iflag &= ~ICRNL;
  g_t.c_iflag |= IGNCR;
  Set();
  Feed("CR with IGNCR", "b\r\n", 3);
  g_t.c_iflag &= ~IGNCR;
  g_t.c_iflag |= INLCR;
  g_t.c_lflag &= ~ICANON;
  Set();
  Feed("NL with INLCR, noncanonical", "c\n", 2);
  g_t.c_iflag &= ~INLCR;
  g_t.c_lflag &= ~ECHO;
  Set();
  Feed("no echo", "quiet", 5);
  g_t.c_lflag |= ECHO | ECHOCTL;
  Set();
  Feed("ECHOCTL", "\x01z", 2);
  g_t.c_oflag &= ~OPOST;
  Set();
  write(g_slave, "p\nq", 3);
  char buf[32];
  long r = t_read_avail(g_master, buf, sizeof(buf), 300);
  t_print_bytes("output without OPOST", buf, r);
  printf("TOSTOP set by default: %s\n", g_t.c_lflag & TOSTOP ? "true" : "false");
  T_CALL(tcflush(g_slave, TCIOFLUSH));
  T_CALL(tcflush(g_slave, 99));
  T_CALL(tcdrain(g_slave));
  T_CALL(tcflow(g_slave, TCOON));
  T_CALL(tcsendbreak(g_slave, 0));
  return 0;
}
