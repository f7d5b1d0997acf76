// Running out of fds gives EMFILE; the lowest free fd is always reused first.
#include <sys/resource.h>

#include "contract.h"

int main(void) {
  struct rlimit rl = {64, 64};
  setrlimit(RLIMIT_NOFILE, &rl);
  int count = 0, last = -1;
  for (;;) {
    int fd = open("/dev/null", O_RDONLY);
    if (fd < 0) {
      printf("open failed with %s after %d opens, last fd %d\n", t_errname(errno), count, last);
      break;
    }
    ++count;
    last = fd;
  }
  int fds[2];
  T_CALL(pipe(fds));
  close(10);
  close(20);
  T_CALL(open("/dev/null", O_RDONLY));
  T_CALL(open("/dev/null", O_RDONLY));
  T_CALL(open("/dev/null", O_RDONLY));
  close(5);
  T_CALL(dup(0));
  T_CALL(fcntl(0, F_DUPFD, 64));
  T_CALL(dup2(0, 64));
  T_CALL(dup2(0, 63));
  return 0;
}
