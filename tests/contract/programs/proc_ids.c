// getpid/getppid/gettid/getpgrp/getsid relations, printed as relations (never values).
#include "contract.h"

int main(void) {
  pid_t me = getpid();
  T_EQ(syscall(SYS_gettid), me);
  T_EQ(getpgrp(), me);  // the batch runner made us a session leader
  T_EQ(getsid(0), me);
  T_EQ(getpgid(0), me);
  T_TRUE(getppid() > 0);
  T_TRUE(me > 1);
  int pipefd[2];
  T_REQUIRE(pipe(pipefd) == 0);
  pid_t child = fork();
  if (child == 0) {
    char ok[8];
    int n = 0;
    ok[n++] = getppid() == me ? 'y' : 'n';
    ok[n++] = getpgrp() == me ? 'y' : 'n';
    ok[n++] = getsid(0) == me ? 'y' : 'n';
    ok[n++] = getpid() != me ? 'y' : 'n';
    write(pipefd[1], ok, n);
    _exit(0);
  }
  char got[8] = {0};
  read(pipefd[0], got, 4);
  t_wait(child, "child");
  printf("child ppid==parent, pgrp inherited, sid inherited, pid differs: %s\n", got);
  T_CALL(getpgid(0x3fffffff));
  T_CALL(getsid(0x3fffffff));
  return 0;
}
