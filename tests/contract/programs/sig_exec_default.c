// A program started with SIGINT ignored by its parent keeps it ignored (nohup-style); a
// caught signal is back to default in the new image [man 2 execve].
#include "contract.h"

static void Handler(int sig) { (void)sig; }

int main(void) {
  pid_t child = fork();
  if (child == 0) {
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, Handler);
    signal(SIGCHLD, SIG_IGN);
    char* argv[] = {"contract-helper", "sigstate", NULL};
    char* envp[] = {NULL};
    execve(t_helper_path(), argv, envp);
    _exit(127);
  }
  t_wait(child, "helper");
  // A close-on-exec pipe tells the parent when the exec has happened: EOF.
  int execd[2];
  pipe2(execd, O_CLOEXEC);
  child = fork();
  if (child == 0) {
    char* argv[] = {"contract-helper", "pause", NULL};
    char* envp[] = {NULL};
    signal(SIGTERM, Handler);
    close(execd[0]);
    execve(t_helper_path(), argv, envp);
    _exit(127);
  }
  close(execd[1]);
  char c;
  read(execd[0], &c, 1);
  kill(child, SIGTERM);
  t_wait(child, "SIGTERM after exec (handler reset to default)");
  return 0;
}
