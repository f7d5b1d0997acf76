// Canonical mode: input is delivered a line at a time, echoed (with ONLCR on output),
// edited by VERASE and VKILL; VEOF at the start of a line reads as end of file
// [man 3 termios "Canonical and noncanonical mode"].
#include "pty.h"

int main(void) {
  int master, slave;
  t_open_pty(&master, &slave);
  char buf[256];
  write(master, "partial", 7);
  fcntl(slave, F_SETFL, O_NONBLOCK);
  T_CALL(read(slave, buf, sizeof(buf)));  // no newline yet
  write(master, " line\n", 6);
  long n = read(slave, buf, sizeof(buf));
  t_print_bytes("slave read", buf, n);
  n = t_read_avail(master, buf, sizeof(buf), 500);
  t_print_bytes("echo on master", buf, n);
  write(master, "abcd\x7f\x7fX\n", 8);  // two erases
  n = read(slave, buf, sizeof(buf));
  t_print_bytes("after erase", buf, n);
  t_read_avail(master, buf, sizeof(buf), 200);
  write(master, "junk\x15good\n", 10);  // ^U kills the line
  n = read(slave, buf, sizeof(buf));
  t_print_bytes("after kill", buf, n);
  t_read_avail(master, buf, sizeof(buf), 200);
  write(master, "\x04", 1);  // ^D at line start
  fcntl(slave, F_SETFL, 0);
  T_CALL(read(slave, buf, sizeof(buf)));
  write(master, "two\x04", 4);  // ^D mid-line: delivers without newline
  n = read(slave, buf, sizeof(buf));
  t_print_bytes("^D mid-line", buf, n);
  write(master, "a\nb\n", 4);
  n = read(slave, buf, 1);
  t_print_bytes("one byte of a line", buf, n);
  n = read(slave, buf, sizeof(buf));
  t_print_bytes("rest of that line only", buf, n);
  n = read(slave, buf, sizeof(buf));
  t_print_bytes("next line", buf, n);
  t_read_avail(master, buf, sizeof(buf), 200);
  write(slave, "out\n", 4);
  n = t_read_avail(master, buf, sizeof(buf), 500);
  t_print_bytes("slave output via ONLCR", buf, n);
  return 0;
}
