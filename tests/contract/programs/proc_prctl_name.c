// PR_SET_NAME/PR_GET_NAME: 16 bytes with the NUL, truncated silently; inherited by fork,
// replaced by execve [man 2 prctl].
#include <sys/prctl.h>

#include "contract.h"

int main(void) {
  char name[32];
  memset(name, 0, sizeof(name));
  T_CALL(prctl(PR_GET_NAME, name));
  printf("initial: %s\n", name);
  T_CALL(prctl(PR_SET_NAME, "contract-name"));
  T_CALL(prctl(PR_GET_NAME, name));
  printf("set: %s\n", name);
  T_CALL(prctl(PR_SET_NAME, "a-name-that-is-far-too-long"));
  memset(name, 'x', sizeof(name));
  T_CALL(prctl(PR_GET_NAME, name));
  printf("long: %s (len %zu)\n", name, strlen(name));
  pid_t child = fork();
  if (child == 0) {
    char n[32] = {0};
    prctl(PR_GET_NAME, n);
    printf("child: %s\n", n);
    _exit(0);
  }
  t_wait(child, "child");
  T_CALL(prctl(PR_SET_NAME, T_BAD_PTR));
  T_CALL(prctl(9999, 0, 0, 0, 0));
  T_CALL(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
  T_CALL(prctl(PR_SET_PDEATHSIG, 99, 0, 0, 0));
  T_CALL(prctl(PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0));
  int sig = -1;
  T_CALL(prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0));
  printf("pdeathsig: %s\n", t_signame(sig));
  return 0;
}
