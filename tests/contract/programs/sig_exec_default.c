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
  child = fork();
  if (child == 0) {
    char* argv[] = {"contract-helper", "pause", NULL};
    char* envp[] = {NULL};
    signal(SIGTERM, Handler);
    execve(t_helper_path(), argv, envp);
    _exit(127);
  }
  usleep(100 * 1000);
  kill(child, SIGTERM);
  t_wait(child, "SIGTERM after exec (handler reset to default)");
  return 0;
}
