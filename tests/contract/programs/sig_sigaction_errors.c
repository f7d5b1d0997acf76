// sigaction/rt_sigaction argument errors [man 2 sigaction].
#include "contract.h"

static void Handler(int sig) { (void)sig; }

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = Handler;
  T_CALL(sigaction(SIGKILL, &sa, NULL));
  T_CALL(sigaction(SIGSTOP, &sa, NULL));
  sa.sa_handler = SIG_IGN;
  T_CALL(sigaction(SIGKILL, &sa, NULL));
  sa.sa_handler = SIG_DFL;
  T_CALL(sigaction(SIGKILL, &sa, NULL));
  T_CALL(sigaction(SIGKILL, NULL, &sa));  // reading is fine
  T_CALL(sigaction(0, &sa, NULL));
  T_CALL(sigaction(65, &sa, NULL));
  T_CALL(sigaction(-1, &sa, NULL));
  struct {
    void* handler;
    unsigned long flags;
    void* restorer;
    unsigned long mask;
  } raw = {0, 0, 0, 0};
  T_CALL(syscall(SYS_rt_sigaction, SIGUSR1, &raw, NULL, 4));  // sigsetsize must be 8
  T_CALL(syscall(SYS_rt_sigaction, SIGUSR1, &raw, NULL, 8));
  T_CALL(syscall(SYS_rt_sigaction, SIGUSR1, T_BAD_PTR, NULL, 8));
  T_CALL(syscall(SYS_rt_sigaction, SIGUSR1, NULL, T_BAD_PTR, 8));
  T_CALL(syscall(SYS_rt_sigaction, 64, &raw, NULL, 8));
  raw.flags = 0x04000000;  // SA_RESTORER
  raw.mask = ~0ul;
  T_CALL(syscall(SYS_rt_sigaction, SIGUSR1, &raw, NULL, 8));
  T_CALL(syscall(SYS_rt_sigaction, SIGUSR1, NULL, &raw, 8));
  printf("mask read back without KILL and STOP: %s\n",
         (raw.mask & ((1ul << (SIGKILL - 1)) | (1ul << (SIGSTOP - 1)))) == 0 ? "true" : "false");
  return 0;
}
