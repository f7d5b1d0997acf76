// Credentials: root can drop to another uid/gid; an unprivileged process cannot get back
// [man 2 setuid, setresuid, setgroups].
#include <grp.h>

#include "contract.h"

int main(void) {
  T_CALL(getuid());
  T_CALL(geteuid());
  T_CALL(getgid());
  T_CALL(getegid());
  gid_t groups[4] = {10, 20, 30, 40};
  T_CALL(setgroups(4, groups));
  gid_t got[8];
  T_CALL(getgroups(8, got));
  printf("groups: %d %d %d %d\n", got[0], got[1], got[2], got[3]);
  T_CALL(getgroups(2, got));  // too small
  T_CALL(getgroups(0, got));  // just the count
  pid_t child = fork();
  if (child == 0) {
    T_CALL(setresgid(100, 200, 300));
    gid_t r, e, s;
    getresgid(&r, &e, &s);
    printf("child: resgid %d %d %d\n", r, e, s);
    T_CALL(setresuid(1000, 1001, 1002));
    uid_t ru, eu, su;
    getresuid(&ru, &eu, &su);
    printf("child: resuid %d %d %d\n", ru, eu, su);
    T_CALL(setuid(0));
    T_CALL(seteuid(1002));  // the saved uid is allowed
    T_CALL(geteuid());
    T_CALL(setgroups(1, groups));
    T_CALL(setresuid(-1, -1, -1));
    T_CALL(setuid(1000));
    T_CALL(getuid());
    _exit(0);
  }
  t_wait(child, "child");
  T_CALL(setgroups(-1, groups));
  T_CALL(setgroups(0, NULL));
  T_CALL(getgroups(0, got));
  return 0;
}
