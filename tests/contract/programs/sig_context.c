// The signal frame: a handler can read and change the interrupted registers through the
// ucontext (here: skip a ud2 by adding 2 to rip, set rax), and uc_sigmask changes the mask
// restored by rt_sigreturn [man 2 sigreturn, linux arch/x86/include/uapi/asm/sigcontext.h].
#include <ucontext.h>

#include "contract.h"

static void OnIll(int sig, siginfo_t* info, void* ctx) {
  (void)sig;
  (void)info;
  ucontext_t* uc = ctx;
  uc->uc_mcontext.gregs[REG_RIP] += 2;  // ud2 is 0f 0b
  uc->uc_mcontext.gregs[REG_RAX] = 1234;
  sigaddset(&uc->uc_sigmask, SIGUSR2);
}

static void OnUsr1(int sig, siginfo_t* info, void* ctx) {
  (void)sig;
  (void)info;
  ucontext_t* uc = ctx;
  printf("in handler: uc_sigmask (the mask to restore) has USR1: %d\n",
         sigismember(&uc->uc_sigmask, SIGUSR1));
  printf("in handler: uc_link is NULL: %s\n", uc->uc_link == NULL ? "true" : "false");
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_sigaction = OnIll;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGILL, &sa, NULL);
  long rax;
  __asm__ volatile("mov $1, %%rax\n\tud2\n\tmov %%rax, %0" : "=r"(rax) : : "rax");
  printf("rax after the handler edited it: %ld\n", rax);
  sigset_t cur;
  sigprocmask(SIG_BLOCK, NULL, &cur);
  printf("USR2 blocked after sigreturn: %d\n", sigismember(&cur, SIGUSR2));
  sa.sa_sigaction = OnUsr1;
  sigaction(SIGUSR1, &sa, NULL);
  raise(SIGUSR1);
  return 0;
}
