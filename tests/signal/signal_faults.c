// Fault signals as Linux reports them: si_code, si_addr and the sigcontext's trapno/err/cr2
// for a write to an unmapped page, a write to a read-only page, an integer division by zero,
// an undefined instruction and int3; the handler recovers with siglongjmp. Then the default
// actions: the wait status of children killed by each signal (core-dump bit with
// RLIMIT_CORE 0, which is what Linux reports by default).
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile uintptr_t expect_addr;
static volatile uintptr_t fault_rip;

static void handler(int sig, siginfo_t* si, void* ctx) {
  ucontext_t* uc = ctx;
  const greg_t* g = uc->uc_mcontext.gregs;
  printf("sig=%d code=%d addr_ok=%d trapno=%lld", sig, si->si_code,
         (uintptr_t)si->si_addr == expect_addr, (long long)g[REG_TRAPNO]);
  if (sig == SIGSEGV && si->si_code != 0x80) {
    printf(" err_write=%lld cr2_ok=%d", (long long)(g[REG_ERR] & 2),
           (uintptr_t)g[REG_CR2] == expect_addr);
  }
  printf(" rip_ok=%d\n", fault_rip == 0 || (uintptr_t)g[REG_RIP] == fault_rip);
  siglongjmp(env, 1);
}

static int zero = 0;

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  int fault_sigs[] = {SIGSEGV, SIGFPE, SIGILL, SIGTRAP, SIGBUS};
  for (unsigned i = 0; i < 5; ++i) sigaction(fault_sigs[i], &sa, NULL);

  char* ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char* unmapped = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  munmap(unmapped, 4096);

  expect_addr = (uintptr_t)unmapped + 8;
  if (!sigsetjmp(env, 1)) *(volatile char*)(unmapped + 8) = 1;
  expect_addr = (uintptr_t)ro + 16;
  if (!sigsetjmp(env, 1)) *(volatile char*)(ro + 16) = 1;

  // ud2 and int3 at known addresses: si_addr is the instruction for SIGILL.
  extern char ud2_at[], int3_after[];
  expect_addr = (uintptr_t)ud2_at;
  fault_rip = (uintptr_t)ud2_at;
  if (!sigsetjmp(env, 1)) __asm__ volatile("ud2_at: ud2");
  expect_addr = 0;                    // int3 reports SI_KERNEL without an address
  fault_rip = (uintptr_t)int3_after;  // and the rip after the breakpoint
  if (!sigsetjmp(env, 1)) __asm__ volatile("int3\nint3_after: nop");
  fault_rip = 0;
  // Division by zero: SIGFPE/FPE_INTDIV with si_addr at the divide instruction.
  extern char div_at[];
  expect_addr = (uintptr_t)div_at;
  fault_rip = (uintptr_t)div_at;
  if (!sigsetjmp(env, 1)) {
    __asm__ volatile("xor %%edx, %%edx\nmov $7, %%eax\ndiv_at: divl %0" ::"r"(zero) : "eax", "edx");
  }
  fault_rip = 0;

  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  int kill_sigs[] = {SIGTERM, SIGQUIT, SIGSEGV, SIGABRT, SIGUSR2, SIGRTMIN + 3};
  for (unsigned i = 0; i < 6; ++i) {
    int s = kill_sigs[i];
    pid_t c = fork();
    if (c == 0) {
      signal(s, SIG_DFL);
      raise(s);
      _exit(99);
    }
    int st;
    waitpid(c, &st, 0);
    printf("default %d: signaled=%d termsig=%d core=%d raw=%#x\n", s, WIFSIGNALED(st), WTERMSIG(st),
           WCOREDUMP(st) ? 1 : 0, st);
  }
  // Ignored by default: SIGCHLD, SIGWINCH, SIGURG do nothing; the process goes on.
  raise(SIGCHLD);
  raise(SIGWINCH);
  raise(SIGURG);
  printf("ignored defaults survived\n");
  return 0;
}
