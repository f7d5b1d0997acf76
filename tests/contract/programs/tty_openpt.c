// posix_openpt/grantpt/unlockpt/ptsname: the slave opens only after unlockpt; TIOCGPTN
// and ptsname agree; names are not printed (numbers vary) [man 3 posix_openpt, man 4 pts].
#include <sys/ioctl.h>

#include "contract.h"

int main(void) {
  int master = posix_openpt(O_RDWR | O_NOCTTY);
  T_TRUE(master >= 0);
  char* name = ptsname(master);
  T_TRUE(name != NULL && strncmp(name, "/dev/pts/", 9) == 0);
  unsigned n = 0;
  T_CALL(ioctl(master, TIOCGPTN, &n));
  char expect[32];
  snprintf(expect, sizeof(expect), "/dev/pts/%u", n);
  printf("TIOCGPTN matches ptsname: %s\n", strcmp(expect, name) == 0 ? "true" : "false");
  char copy[64];
  snprintf(copy, sizeof(copy), "%s", name);
  T_CALL(open(copy, O_RDWR | O_NOCTTY));  // still locked
  T_CALL(grantpt(master));
  T_CALL(unlockpt(master));
  int slave = open(copy, O_RDWR | O_NOCTTY);
  T_TRUE(slave >= 0);
  struct stat st;
  fstat(slave, &st);
  // Not its mode: that comes from devpts' mount options, which differ between systems.
  printf("slave is a char device: %s\n", S_ISCHR(st.st_mode) ? "true" : "false");
  T_CALL(isatty(master));
  T_CALL(isatty(slave));
  int lock = 1;
  T_CALL(ioctl(master, TIOCSPTLCK, &lock));
  T_CALL(open(copy, O_RDWR | O_NOCTTY));
  T_CALL(ioctl(slave, TIOCGPTN, &n));
  int fds[2];
  pipe(fds);
  T_CALL(isatty(fds[0]));
  T_CALL(unlockpt(fds[0]));
  T_CALL(ptsname_r(fds[0], copy, sizeof(copy)));
  return 0;
}
