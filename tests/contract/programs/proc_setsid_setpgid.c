// setsid(2) and setpgid(2): rules and errors [man 2 setsid, man 2 setpgid].
#include "contract.h"

int main(void) {
  T_CALL(setsid());       // already a session leader (the runner made us one)
  T_CALL(setpgid(0, 0));  // a session leader cannot change its group
  T_CALL(setpgid(0, -1));
  T_CALL(setpgid(0x3fffffff, 0));
  int sync[2];
  T_REQUIRE(pipe(sync) == 0);
  pid_t child = fork();
  if (child == 0) {
    char c;
    read(sync[0], &c, 1);
    // The parent moved us into a group of our own: a group leader cannot setsid.
    printf("child: setsid as group leader: %s\n", setsid() < 0 ? t_errname(errno) : "ok");
    _exit(0);
  }
  T_CALL(setpgid(child, child));
  T_EQ(getpgid(child), child);
  write(sync[1], "x", 1);
  t_wait(child, "child");
  // A grandchild in our group can start its own session.
  child = fork();
  if (child == 0) {
    pid_t sid = setsid();
    printf("child: setsid: %s\n", sid == getpid() ? "new session" : t_errname(errno));
    printf("child: getsid == getpid: %s\n", getsid(0) == getpid() ? "true" : "false");
    printf("child: setpgid into parent's group (other session): %s\n",
           setpgid(0, getppid()) < 0 ? t_errname(errno) : "ok");
    _exit(0);
  }
  t_wait(child, "child2");
  return 0;
}
