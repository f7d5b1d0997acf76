// Faults on bad memory become SIGSEGV with si_code SEGV_MAPERR (nothing mapped) or
// SEGV_ACCERR (mapped, not allowed), and si_addr the faulting address [man 2 sigaction].
#include <setjmp.h>
#include <sys/mman.h>

#include "contract.h"

static sigjmp_buf g_jump;
static volatile int g_code;
static void* volatile g_addr;

static void OnSegv(int sig, siginfo_t* info, void* ctx) {
  (void)ctx;
  g_code = info->si_code + (sig == SIGBUS ? 100 : 0);
  g_addr = info->si_addr;
  siglongjmp(g_jump, 1);
}

static void Probe(const char* what, volatile char* addr, int write) {
  g_code = 0;
  g_addr = NULL;
  if (sigsetjmp(g_jump, 1) == 0) {
    if (write) {
      *addr = 1;
    } else {
      (void)*addr;
    }
    printf("%s: no fault\n", what);
    return;
  }
  const char* code = g_code == SEGV_MAPERR        ? "SEGV_MAPERR"
                     : g_code == SEGV_ACCERR      ? "SEGV_ACCERR"
                     : g_code == 100 + BUS_ADRERR ? "SIGBUS BUS_ADRERR"
                                                  : "other";
  printf("%s: %s, si_addr %s\n", what, code, g_addr == (void*)addr ? "exact" : "differs");
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_sigaction = OnSegv;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &sa, NULL);
  sigaction(SIGBUS, &sa, NULL);
  char* p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  Probe("read null", (char*)0, 0);
  Probe("write null+16", (char*)16, 1);
  mprotect(p, 4096, PROT_READ);
  Probe("read read-only", p + 10, 0);
  Probe("write read-only", p + 10, 1);
  mprotect(p + 4096, 4096, PROT_NONE);
  Probe("read PROT_NONE", p + 4096 + 5, 0);
  Probe("write PROT_NONE", p + 4096 + 5, 1);
  munmap(p + 2 * 4096, 4096);
  Probe("read unmapped", p + 2 * 4096 + 7, 0);
  Probe("kernel address", (char*)0xffffffff81000000ull, 0);
  mprotect(p + 4096, 4096, PROT_READ | PROT_WRITE);
  Probe("write after mprotect back", p + 4096 + 5, 1);
  // Text pages are not writable.
  Probe("write own code", (volatile char*)(uintptr_t)&main, 1);
  return 0;
}
