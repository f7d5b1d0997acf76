// Hardware exceptions become signals with exact codes: #DE SIGFPE FPE_INTDIV, #UD SIGILL
// ILL_ILLOPN, int3 SIGTRAP, hlt (privileged) SIGSEGV SI_KERNEL, and si_addr = the rip for
// SIGILL/SIGFPE [man 2 sigaction, intel-sdm 3 §6.15].
#include <setjmp.h>

#include "contract.h"

static sigjmp_buf g_jump;
static volatile int g_sig, g_code;
static void* volatile g_addr;

static void Handler(int sig, siginfo_t* info, void* ctx) {
  (void)ctx;
  g_sig = sig;
  g_code = info->si_code;
  g_addr = info->si_addr;
  siglongjmp(g_jump, 1);
}

static const char* Code(int sig, int code) {
  if (code == SI_KERNEL) return "SI_KERNEL";
  if (sig == SIGFPE && code == FPE_INTDIV) return "FPE_INTDIV";
  if (sig == SIGILL && code == ILL_ILLOPN) return "ILL_ILLOPN";
  if (sig == SIGTRAP && code == TRAP_BRKPT) return "TRAP_BRKPT";
  if (sig == SIGSEGV && code == SEGV_MAPERR) return "SEGV_MAPERR";
  return "other";
}

static volatile int g_zero = 0;

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_sigaction = Handler;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigaction(SIGFPE, &sa, NULL);
  sigaction(SIGILL, &sa, NULL);
  sigaction(SIGTRAP, &sa, NULL);
  sigaction(SIGSEGV, &sa, NULL);
  sigaction(SIGBUS, &sa, NULL);
  if (sigsetjmp(g_jump, 1) == 0) {
    volatile int x = 10 / g_zero;
    (void)x;
  }
  printf("divide by zero: %s %s\n", t_signame(g_sig), Code(g_sig, g_code));
  if (sigsetjmp(g_jump, 1) == 0) __asm__ volatile("ud2");
  printf("ud2: %s %s\n", t_signame(g_sig), Code(g_sig, g_code));
  if (sigsetjmp(g_jump, 1) == 0) __asm__ volatile("int3");
  printf("int3: %s %s\n", t_signame(g_sig), Code(g_sig, g_code));
  if (sigsetjmp(g_jump, 1) == 0) __asm__ volatile("hlt");
  printf("hlt: %s %s addr %p\n", t_signame(g_sig), Code(g_sig, g_code), g_addr);
  if (sigsetjmp(g_jump, 1) == 0)
    __asm__ volatile("int $0x80" ::"a"(20) : "memory");  // 32-bit getpid: allowed
  g_sig = 0;
  if (sigsetjmp(g_jump, 1) == 0) __asm__ volatile("int $0x42");
  printf("int $0x42: %s %s\n", t_signame(g_sig), Code(g_sig, g_code));
  if (sigsetjmp(g_jump, 1) == 0) {
    long min = (long)1 << 63;
    volatile long neg = -1;
    volatile long r = min / neg;  // #DE on overflow too
    (void)r;
  }
  printf("LONG_MIN / -1: %s %s\n", t_signame(g_sig), Code(g_sig, g_code));
  if (sigsetjmp(g_jump, 1) == 0)
    __asm__ volatile("mov (%0), %%rax" ::"r"(0x8000000000000000ull) : "rax");
  printf("non-canonical load: %s %s addr %p\n", t_signame(g_sig), Code(g_sig, g_code), g_addr);
  return 0;
}
