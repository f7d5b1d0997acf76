// Raw mode: bytes pass unchanged in both directions; VMIN/VTIME control reads
// [man 3 termios "Noncanonical mode"].
#include "pty.h"

int main(void) {
  int master, slave;
  t_open_pty(&master, &slave);
  struct termios t;
  tcgetattr(slave, &t);
  cfmakeraw(&t);
  t.c_cc[VMIN] = 0;
  t.c_cc[VTIME] = 0;
  tcsetattr(slave, TCSANOW, &t);
  char buf[64];
  T_CALL(read(slave, buf, sizeof(buf)));  // VMIN=0 VTIME=0: returns 0 at once
  write(master, "a\r\n\x03\x04\x7f", 6);
  t_wait_readable(slave, 2000);
  usleep(100000);  // all six bytes: they are pushed together, but give stragglers a moment
  long n = read(slave, buf, sizeof(buf));
  t_print_bytes("raw input", buf, n);
  write(slave, "x\ny", 3);
  n = t_read_avail(master, buf, sizeof(buf), 500);
  t_print_bytes("raw output", buf, n);
  t.c_cc[VMIN] = 3;
  tcsetattr(slave, TCSANOW, &t);
  pid_t child = fork();
  if (child == 0) {
    usleep(50000);
    write(master, "1", 1);
    usleep(50000);
    write(master, "23", 2);
    _exit(0);
  }
  n = read(slave, buf, sizeof(buf));  // waits for 3 bytes
  t_print_bytes("VMIN=3", buf, n);
  t_wait(child, "writer");
  t.c_cc[VMIN] = 0;
  t.c_cc[VTIME] = 1;  // 0.1 s
  tcsetattr(slave, TCSANOW, &t);
  T_CALL(read(slave, buf, sizeof(buf)));  // times out: 0
  return 0;
}
