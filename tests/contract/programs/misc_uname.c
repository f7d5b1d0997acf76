// uname(2): the fields that do not vary between machines [man 2 uname].
#include <sys/utsname.h>

#include "contract.h"

int main(void) {
  struct utsname u;
  T_CALL(uname(&u));
  printf("sysname: %s\n", u.sysname);
  printf("machine: %s\n", u.machine);
  printf("release looks like a version: %s\n",
         u.release[0] >= '2' && u.release[0] <= '9' && u.release[1] == '.' ? "true" : "false");
  // Only calls that fail before changing anything: the host run shares the machine's name.
  T_CALL(sethostname("x", 65));
  T_CALL(sethostname(T_BAD_PTR, 4));
  char name[65];
  T_CALL(gethostname(name, sizeof(name)));
  T_CALL(syscall(SYS_uname, T_BAD_PTR));
  return 0;
}
