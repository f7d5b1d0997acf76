// The termios a new pty slave starts with, and tcsetattr round trips [man 3 termios].
#include "pty.h"

int main(void) {
  int master, slave;
  t_open_pty(&master, &slave);
  struct termios t;
  T_CALL(tcgetattr(slave, &t));
  printf("iflag %#o oflag %#o cflag %#o lflag %#o\n", t.c_iflag, t.c_oflag, t.c_cflag, t.c_lflag);
  printf("VINTR %d VQUIT %d VERASE %d VKILL %d VEOF %d VMIN %d VTIME %d VSUSP %d\n", t.c_cc[VINTR],
         t.c_cc[VQUIT], t.c_cc[VERASE], t.c_cc[VKILL], t.c_cc[VEOF], t.c_cc[VMIN], t.c_cc[VTIME],
         t.c_cc[VSUSP]);
  printf("speed: in %d out %d\n", (int)cfgetispeed(&t), (int)cfgetospeed(&t));
  T_CALL(tcgetattr(master, &t));
  printf("master lflag %#o\n", t.c_lflag);
  struct termios raw = t;
  cfmakeraw(&raw);
  T_CALL(tcsetattr(slave, TCSANOW, &raw));
  struct termios back;
  tcgetattr(slave, &back);
  printf("raw: iflag %#o oflag %#o cflag %#o lflag %#o\n", back.c_iflag, back.c_oflag, back.c_cflag,
         back.c_lflag);
  T_CALL(tcsetattr(slave, 99, &raw));
  T_CALL(tcgetattr(0, &t));  // /dev/null
  T_CALL(tcsetattr(999, TCSANOW, &raw));
  cfsetspeed(&raw, B9600);
  T_CALL(tcsetattr(slave, TCSADRAIN, &raw));
  tcgetattr(slave, &back);
  printf("speed after B9600: %d\n", (int)cfgetospeed(&back));
  return 0;
}
