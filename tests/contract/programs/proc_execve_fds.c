// Open files survive execve(2) unless close-on-exec; the offsets and flags come along.
#include "contract.h"

int main(void) {
  int keep = open("keep", O_RDWR | O_CREAT | O_APPEND, 0644);
  int gone = open("gone", O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  int pipefd[2];
  T_REQUIRE(pipe2(pipefd, O_NONBLOCK) == 0);
  int dupped = fcntl(gone, F_DUPFD, 10);  // dup clears FD_CLOEXEC
  printf("fds: keep=%d gone=%d pipe=%d,%d dup=%d\n", keep, gone, pipefd[0], pipefd[1], dupped);
  int flagged = fcntl(keep, F_DUPFD_CLOEXEC, 20);
  printf("dupfd_cloexec=%d\n", flagged);
  pid_t child = fork();
  if (child == 0) {
    char* argv[] = {"contract-helper", "fds", NULL};
    char* envp[] = {NULL};
    execve(t_helper_path(), argv, envp);
    _exit(127);
  }
  t_wait(child, "helper");
  return 0;
}
