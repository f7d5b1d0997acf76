// An orphan is reparented to the nearest child subreaper (the batch runner set
// PR_SET_CHILD_SUBREAPER) [man 2 prctl]. PR_GET_CHILD_SUBREAPER reads the flag.
#include <sys/prctl.h>

#include "contract.h"

int main(void) {
  pid_t runner = getppid();
  int flag = -1;
  T_CALL(prctl(PR_GET_CHILD_SUBREAPER, &flag));
  printf("our flag: %d\n", flag);
  int report[2], go[2];
  T_REQUIRE(pipe(report) == 0 && pipe(go) == 0);
  pid_t child = fork();
  if (child == 0) {
    pid_t grandchild = fork();
    if (grandchild == 0) {
      char c;
      read(go[0], &c, 1);  // wait until our parent is gone
      char verdict = getppid() == runner ? 'R' : 'X';
      write(report[1], &verdict, 1);
      _exit(0);
    }
    _exit(5);
  }
  t_wait(child, "middle child");
  close(go[0]);
  write(go[1], "x", 1);
  close(report[1]);
  char verdict = '?';
  read(report[0], &verdict, 1);
  printf("orphan's parent is the runner (subreaper): %s\n", verdict == 'R' ? "true" : "false");
  T_CALL(waitpid(-1, NULL, WNOHANG));  // the orphan is no longer our child
  return 0;
}
