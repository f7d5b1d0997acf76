// Touching a file mapping beyond the end of the file (past the last page) raises SIGBUS
// BUS_ADRERR; growing the file makes the page readable [man 2 mmap, SIGBUS].
#include <setjmp.h>
#include <sys/mman.h>

#include "contract.h"

static sigjmp_buf g_jump;
static volatile int g_code;
static volatile int g_sig;

static void OnFault(int sig, siginfo_t* info, void* ctx) {
  (void)ctx;
  g_sig = sig;
  g_code = info->si_code;
  siglongjmp(g_jump, 1);
}

static void Read(const char* what, volatile char* addr) {
  if (sigsetjmp(g_jump, 1) == 0) {
    printf("%s: read %d\n", what, *addr);
  } else {
    printf("%s: %s code %s\n", what, t_signame(g_sig),
           g_code == BUS_ADRERR ? "BUS_ADRERR" : "other");
  }
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_sigaction = OnFault;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGBUS, &sa, NULL);
  sigaction(SIGSEGV, &sa, NULL);
  t_make_file("small", "tiny");
  int fd = open("small", O_RDWR);
  char* p = mmap(NULL, 3 * 4096, PROT_READ, MAP_SHARED, fd, 0);
  Read("inside the file", p);
  Read("end of the first page", p + 4095);
  Read("second page", p + 4096);
  ftruncate(fd, 2 * 4096);
  Read("second page after growing", p + 4096);
  Read("third page", p + 2 * 4096);
  ftruncate(fd, 0);
  Read("first page after truncating to 0", p);
  return 0;
}
