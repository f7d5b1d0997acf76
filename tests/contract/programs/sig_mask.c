// sigprocmask/rt_sigprocmask: SIG_BLOCK/UNBLOCK/SETMASK, KILL and STOP cannot be blocked,
// bad how/size are EINVAL [man 2 sigprocmask].
#include "contract.h"

static void Print(const char* what) {
  sigset_t cur;
  sigprocmask(SIG_BLOCK, NULL, &cur);
  printf("%s:", what);
  for (int s = 1; s < 32; ++s)
    if (sigismember(&cur, s)) printf(" %s", t_signame(s));
  printf("\n");
}

int main(void) {
  Print("initial");
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigaddset(&set, SIGKILL);
  sigaddset(&set, SIGSTOP);
  sigaddset(&set, SIGTERM);
  T_CALL(sigprocmask(SIG_BLOCK, &set, NULL));
  Print("after block USR1 KILL STOP TERM");
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  T_CALL(sigprocmask(SIG_UNBLOCK, &set, NULL));
  Print("after unblock TERM");
  sigfillset(&set);
  T_CALL(sigprocmask(SIG_SETMASK, &set, NULL));
  Print("after setmask all");
  T_CALL(sigprocmask(99, &set, NULL));
  unsigned long raw = 0;
  T_CALL(syscall(SYS_rt_sigprocmask, SIG_SETMASK, &raw, NULL, 4));
  T_CALL(syscall(SYS_rt_sigprocmask, SIG_SETMASK, T_BAD_PTR, NULL, 8));
  T_CALL(syscall(SYS_rt_sigprocmask, 99, NULL, NULL, 8));  // how is ignored without a set
  T_CALL(syscall(SYS_rt_sigprocmask, SIG_SETMASK, &raw, NULL, 8));
  Print("after raw setmask empty");
  return 0;
}
