// sigaltstack: SA_ONSTACK handlers run on the alternate stack, SS_ONSTACK is reported while
// there, and a stack overflow can still be handled; errors [man 2 sigaltstack].
#include <setjmp.h>
#include <sys/mman.h>

#include "contract.h"

static char* g_alt;
static size_t g_alt_size;
static volatile int g_on_alt, g_flags_in_handler;
static sigjmp_buf g_jump;

static void Handler(int sig) {
  char local;
  g_on_alt = &local >= g_alt && &local < g_alt + g_alt_size;
  stack_t cur;
  sigaltstack(NULL, &cur);
  g_flags_in_handler = cur.ss_flags;
  if (sig == SIGSEGV) siglongjmp(g_jump, 1);
}

static volatile int g_forever = 1;
static int Recurse(int n) {
  volatile char pad[1024];
  pad[0] = (char)n;
  if (!g_forever) return 0;
  return Recurse(n + 1) + pad[0];
}

int main(void) {
  g_alt_size = 64 * 1024;
  g_alt = malloc(g_alt_size);
  stack_t ss = {.ss_sp = g_alt, .ss_size = g_alt_size, .ss_flags = 0};
  T_CALL(sigaltstack(&ss, NULL));
  stack_t cur;
  T_CALL(sigaltstack(NULL, &cur));
  printf("flags %d size ok %s\n", cur.ss_flags, cur.ss_size == g_alt_size ? "true" : "false");
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = Handler;
  sa.sa_flags = SA_ONSTACK;
  sigaction(SIGUSR1, &sa, NULL);
  raise(SIGUSR1);
  printf("SA_ONSTACK handler on the alternate stack: %d, SS_ONSTACK in handler: %d\n", g_on_alt,
         g_flags_in_handler == SS_ONSTACK);
  sa.sa_flags = 0;
  sigaction(SIGUSR2, &sa, NULL);
  raise(SIGUSR2);
  printf("handler without SA_ONSTACK on the alternate stack: %d\n", g_on_alt);
  sa.sa_flags = SA_ONSTACK;
  sigaction(SIGSEGV, &sa, NULL);
  if (sigsetjmp(g_jump, 1) == 0) Recurse(0);
  printf("stack overflow caught on the alternate stack: %d\n", g_on_alt);
  stack_t small = {.ss_sp = g_alt, .ss_size = 1024, .ss_flags = 0};
  T_CALL(sigaltstack(&small, NULL));
  stack_t badflags = {.ss_sp = g_alt, .ss_size = g_alt_size, .ss_flags = 0x1234};
  T_CALL(sigaltstack(&badflags, NULL));
  stack_t disable = {.ss_sp = NULL, .ss_size = 0, .ss_flags = SS_DISABLE};
  T_CALL(sigaltstack(&disable, NULL));
  T_CALL(sigaltstack(NULL, &cur));
  printf("disabled flags: %d\n", cur.ss_flags);
  T_CALL(syscall(SYS_sigaltstack, T_BAD_PTR, NULL));
  return 0;
}
