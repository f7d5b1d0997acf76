// pipe(2): bytes in order, short reads, EOF once every writer is gone [man 7 pipe].
#include "contract.h"

int main(void) {
  int fds[2];
  T_CALL(pipe(fds));
  printf("fds: %d %d\n", fds[0], fds[1]);
  T_CALL(write(fds[1], "hello", 5));
  T_CALL(write(fds[1], " world", 6));
  char buf[64];
  T_CALL(read(fds[0], buf, 3));
  t_print_bytes("first 3", buf, 3);
  T_CALL(read(fds[0], buf, sizeof(buf)));
  t_print_bytes("rest", buf, 8);
  T_CALL(write(fds[0], "x", 1));  // wrong end
  T_CALL(read(fds[1], buf, 1));
  int extra = dup(fds[1]);
  close(fds[1]);
  T_CALL(write(extra, "!", 1));
  T_CALL(read(fds[0], buf, sizeof(buf)));
  close(extra);
  T_CALL(read(fds[0], buf, sizeof(buf)));  // EOF
  T_CALL(read(fds[0], buf, 0));
  pid_t child;
  int p2[2];
  pipe(p2);
  child = fork();
  if (child == 0) {
    close(p2[0]);
    for (int i = 0; i < 3; ++i) {
      char line[16];
      int n = snprintf(line, sizeof(line), "line %d\n", i);
      write(p2[1], line, n);
    }
    _exit(0);
  }
  close(p2[1]);
  char all[128];
  int total = 0;
  long n;
  while ((n = read(p2[0], all + total, sizeof(all) - total)) > 0) total += n;
  t_print_bytes("from child", all, total);
  t_wait(child, "child");
  T_CALL(syscall(SYS_pipe2, fds, 0x1234));
  return 0;
}
