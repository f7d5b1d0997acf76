// Code in an anonymous mapping runs only with PROT_EXEC; without it, a fetch faults with
// SEGV_ACCERR (NX) [intel-sdm 3 §4.6].
#include <setjmp.h>
#include <sys/mman.h>

#include "contract.h"

static sigjmp_buf g_jump;
static volatile int g_code;

static void OnSegv(int sig, siginfo_t* info, void* ctx) {
  (void)sig;
  (void)ctx;
  g_code = info->si_code;
  siglongjmp(g_jump, 1);
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_sigaction = OnSegv;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &sa, NULL);
  // mov eax, 42; ret
  static const unsigned char code[] = {0xb8, 42, 0, 0, 0, 0xc3};
  unsigned char* p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  memcpy(p, code, sizeof(code));
  int (*fn)(void) = (int (*)(void))p;
  if (sigsetjmp(g_jump, 1) == 0) {
    printf("call RW page: returned %d\n", fn());
  } else {
    printf("call RW page: SIGSEGV %s\n", g_code == SEGV_ACCERR ? "SEGV_ACCERR" : "other");
  }
  mprotect(p, 4096, PROT_READ | PROT_EXEC);
  if (sigsetjmp(g_jump, 1) == 0) {
    printf("call RX page: returned %d\n", fn());
  } else {
    printf("call RX page: SIGSEGV\n");
  }
  mprotect(p, 4096, PROT_EXEC);
  if (sigsetjmp(g_jump, 1) == 0) {
    printf("call X-only page: returned %d\n", fn());
  } else {
    printf("call X-only page: SIGSEGV\n");
  }
  return 0;
}
