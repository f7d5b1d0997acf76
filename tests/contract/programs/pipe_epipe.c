// Writing to a pipe with no reader: SIGPIPE kills by default; ignored, write fails EPIPE
// [man 7 pipe].
#include "contract.h"

int main(void) {
  int fds[2];
  pipe(fds);
  close(fds[0]);  // before the fork: no reader exists anywhere when the child writes
  pid_t child = fork();
  if (child == 0) {
    write(fds[1], "x", 1);
    _exit(0);
  }
  close(fds[1]);
  t_wait(child, "writer without reader");
  pipe(fds);
  close(fds[0]);
  signal(SIGPIPE, SIG_IGN);
  T_CALL(write(fds[1], "x", 1));
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  signal(SIGPIPE, SIG_DFL);
  sigprocmask(SIG_BLOCK, &set, NULL);
  T_CALL(write(fds[1], "x", 1));
  sigset_t pending;
  sigpending(&pending);
  printf("SIGPIPE pending while blocked: %s\n", sigismember(&pending, SIGPIPE) ? "true" : "false");
  return 0;
}
