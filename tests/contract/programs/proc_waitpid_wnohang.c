// WNOHANG returns 0 while the child runs; a signal-killed child reports the signal.
#include "contract.h"

int main(void) {
  int pipefd[2];
  T_REQUIRE(pipe(pipefd) == 0);
  pid_t child = fork();
  if (child == 0) {
    close(pipefd[1]);
    char c;
    read(pipefd[0], &c, 1);  // blocks until the parent closes its end
    pause();
    _exit(0);
  }
  close(pipefd[0]);
  int status = 0;
  T_CALL(waitpid(child, &status, WNOHANG));
  T_CALL(kill(child, SIGTERM));
  t_wait(child, "child");
  close(pipefd[1]);
  return 0;
}
