// SA_RESTART restarts a blocking read after the handler; without it read fails with EINTR
// [man 7 signal "Interruption of system calls"].
#include <sys/time.h>

#include "contract.h"

static void Handler(int sig) { (void)sig; }

static void Try(int flags, const char* what) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = Handler;
  sa.sa_flags = flags;
  sigaction(SIGALRM, &sa, NULL);
  int fds[2];
  pipe(fds);
  pid_t child = fork();
  if (child == 0) {
    usleep(1000 * 1000);
    write(fds[1], "d", 1);
    _exit(0);
  }
  struct itimerval it = {{0, 0}, {0, 150 * 1000}};
  setitimer(ITIMER_REAL, &it, NULL);
  char c;
  long n = read(fds[0], &c, 1);
  printf("%s: read returned %ld%s%s\n", what, n, n < 0 ? " " : "", n < 0 ? t_errname(errno) : "");
  waitpid(child, NULL, 0);
  close(fds[0]);
  close(fds[1]);
}

int main(void) {
  Try(SA_RESTART, "SA_RESTART");
  Try(0, "no SA_RESTART");
  return 0;
}
