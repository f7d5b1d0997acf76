// munmap(2) and mprotect(2) argument errors [man 2 munmap, man 2 mprotect].
#include <sys/mman.h>

#include "contract.h"

int main(void) {
  char* p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  T_CALL(munmap(p + 1, 4096));
  T_CALL(munmap(p, 0));
  T_CALL(munmap((void*)0xffff800000000000ull, 4096));
  T_CALL(munmap(p + 4096, 4096));  // a hole in the middle
  T_CALL(munmap(p + 4096, 4096));  // unmapping nothing is fine
  T_CALL(mprotect(p + 1, 4096, PROT_READ));
  T_CALL(mprotect(p, 4096, 0x100));          // unknown bit
  T_CALL(mprotect(p, 4 * 4096, PROT_READ));  // covers the hole
  T_CALL(mprotect(p, 4096, PROT_READ));
  T_CALL(mprotect(p, 0, PROT_READ));
  T_CALL(mprotect(p + 2 * 4096, 2 * 4096, PROT_NONE));
  T_CALL(mprotect(p, 4096, PROT_READ | PROT_WRITE | PROT_EXEC));
  T_CALL(munmap(p, 4 * 4096));
  T_CALL(mprotect(p, 4096, PROT_READ));
  T_CALL(madvise(p, 4096, MADV_NORMAL));
  T_CALL(madvise(p + 1, 4096, MADV_NORMAL));
  T_CALL(madvise(NULL, 0, 12345));
  return 0;
}
