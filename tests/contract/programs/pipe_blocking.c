// A blocked reader wakes when data arrives; a blocked writer wakes when space frees; a
// reader blocked on an empty pipe wakes with EOF when the last writer closes.
#include <time.h>

#include "contract.h"

int main(void) {
  int fds[2];
  pipe(fds);
  pid_t child = fork();
  if (child == 0) {
    usleep(100 * 1000);
    write(fds[1], "late", 4);
    usleep(100 * 1000);
    _exit(0);  // closes the last writer
  }
  close(fds[1]);
  char buf[16];
  long n = read(fds[0], buf, sizeof(buf));
  t_print_bytes("blocked read got", buf, n);
  T_CALL(read(fds[0], buf, sizeof(buf)));
  t_wait(child, "child");
  pipe(fds);
  fcntl(fds[0], F_SETPIPE_SZ, 4096);
  char page[4096];
  memset(page, 'z', sizeof(page));
  write(fds[1], page, sizeof(page));  // now full
  child = fork();
  if (child == 0) {
    usleep(100 * 1000);
    char drain[4096];
    read(fds[0], drain, sizeof(drain));
    _exit(0);
  }
  T_CALL(write(fds[1], "more", 4));  // blocks until the child drains
  t_wait(child, "drainer");
  return 0;
}
