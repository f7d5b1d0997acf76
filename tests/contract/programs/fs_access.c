// access/faccessat: root sees everything readable; execute needs some x bit; an unprivileged
// user is checked against the mode bits [man 2 access].
#include "contract.h"

int main(void) {
  t_make_file("rw", "x");
  chmod("rw", 0600);
  t_make_file("none", "x");
  chmod("none", 0000);
  t_make_file("x", "x");
  chmod("x", 0711);
  T_CALL(access("rw", R_OK | W_OK));
  T_CALL(access("none", R_OK | W_OK));
  T_CALL(access("none", X_OK));
  T_CALL(access("x", X_OK));
  T_CALL(access("missing", F_OK));
  T_CALL(access("rw", 0x10));
  T_CALL(faccessat(AT_FDCWD, "rw", R_OK, 0x8000));
  T_CALL(syscall(SYS_faccessat, AT_FDCWD, "rw", R_OK));
  T_CALL(access(".", W_OK | X_OK));
  pid_t child = fork();
  if (child == 0) {
    setgid(1000);
    setuid(1000);
    printf("user: rw read: %s\n", access("rw", R_OK) == 0 ? "ok" : t_errname(errno));
    printf("user: x exec: %s\n", access("x", X_OK) == 0 ? "ok" : t_errname(errno));
    printf("user: x read: %s\n", access("x", R_OK) == 0 ? "ok" : t_errname(errno));
    printf("user: open rw: %s\n", open("rw", O_RDONLY) >= 0 ? "ok" : t_errname(errno));
    printf("user: create in cwd: %s\n",
           open("new", O_CREAT | O_WRONLY, 0600) >= 0 ? "ok" : t_errname(errno));
    _exit(0);
  }
  t_wait(child, "child");
  return 0;
}
