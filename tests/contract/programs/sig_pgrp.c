// kill(0, sig) and kill(-pgid, sig) reach every process of the group [man 2 kill].
#include "contract.h"

int main(void) {
  signal(SIGUSR1, SIG_IGN);  // we are in the group too
  int ready[2];
  pipe(ready);
  pid_t kids[3];
  for (int i = 0; i < 3; ++i) {
    kids[i] = fork();
    if (kids[i] == 0) {
      signal(SIGUSR1, SIG_DFL);
      write(ready[1], "r", 1);
      for (;;) pause();
    }
  }
  pid_t other = fork();
  if (other == 0) {
    setpgid(0, 0);  // its own group: not reached
    signal(SIGUSR1, SIG_DFL);
    write(ready[1], "r", 1);
    sleep(1);
    _exit(9);
  }
  for (int i = 0; i < 4; ++i) {
    char c;
    read(ready[0], &c, 1);
  }
  T_CALL(kill(0, SIGUSR1));
  for (int i = 0; i < 3; ++i) t_wait(kids[i], "group member");
  t_wait(other, "other group");
  for (int i = 0; i < 2; ++i) {
    kids[i] = fork();
    if (kids[i] == 0) {
      for (;;) pause();
    }
  }
  setpgid(kids[0], kids[0]);
  setpgid(kids[1], kids[0]);
  T_CALL(kill(-kids[0], SIGTERM));
  t_wait(kids[0], "new group leader");
  t_wait(kids[1], "new group member");
  T_CALL(kill(-kids[0], SIGTERM));
  return 0;
}
