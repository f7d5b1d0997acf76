// getrlimit/setrlimit/prlimit64 rules [man 2 getrlimit].
#include <sys/resource.h>

#include "contract.h"

int main(void) {
  struct rlimit rl;
  T_CALL(getrlimit(RLIMIT_NOFILE, &rl));
  printf("NOFILE: %llu %llu\n", (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max);
  T_CALL(getrlimit(RLIMIT_CORE, &rl));
  printf("CORE: %llu %llu\n", (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max);
  struct rlimit bad = {100, 50};
  T_CALL(setrlimit(RLIMIT_NOFILE, &bad));  // soft above hard
  T_CALL(getrlimit(99, &rl));
  T_CALL(syscall(SYS_getrlimit, RLIMIT_NOFILE, T_BAD_PTR));
  struct rlimit low = {16, 4096};
  T_CALL(setrlimit(RLIMIT_NOFILE, &low));
  int fds = 0;
  while (dup(0) >= 0) ++fds;
  printf("dup until %s after %d more fds\n", t_errname(errno), fds);
  T_CALL(dup(0));
  struct rlimit old;
  struct rlimit newer = {32, 4096};
  T_CALL(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &newer, &old));
  printf("prlimit old: %llu %llu\n", (unsigned long long)old.rlim_cur,
         (unsigned long long)old.rlim_max);
  T_CALL(syscall(SYS_prlimit64, 0x3fffffff, RLIMIT_NOFILE, NULL, &old));
  pid_t child = fork();
  if (child == 0) {
    struct rlimit c;
    getrlimit(RLIMIT_NOFILE, &c);
    printf("child inherits NOFILE: %llu\n", (unsigned long long)c.rlim_cur);
    struct rlimit raise_hard = {32, 8192};
    setuid(1000);
    printf("unprivileged raise of hard limit: %s\n",
           setrlimit(RLIMIT_NOFILE, &raise_hard) < 0 ? t_errname(errno) : "ok");
    _exit(0);
  }
  t_wait(child, "child");
  return 0;
}
