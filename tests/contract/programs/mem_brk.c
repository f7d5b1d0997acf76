// brk(2): the raw syscall returns the new break, or the old one when it refuses [man 2 brk].
#include "contract.h"

int main(void) {
  uintptr_t start = (uintptr_t)syscall(SYS_brk, 0);
  T_TRUE(start != 0);
  uintptr_t grown = (uintptr_t)syscall(SYS_brk, start + 3 * 4096 + 100);
  printf("grow by 3 pages + 100: delta %lu\n", (unsigned long)(grown - start));
  char* p = (char*)start;
  size_t nonzero = 0;
  for (size_t i = 0; i < 3 * 4096 + 100; ++i) nonzero += p[i] != 0;
  printf("nonzero in new heap: %zu\n", nonzero);
  memset(p, 0x5a, 3 * 4096 + 100);
  uintptr_t shrunk = (uintptr_t)syscall(SYS_brk, start + 4096);
  printf("shrink to 1 page: delta %lu\n", (unsigned long)(shrunk - start));
  uintptr_t regrown = (uintptr_t)syscall(SYS_brk, start + 2 * 4096);
  printf("regrow: delta %lu, byte in re-added page: %d\n", (unsigned long)(regrown - start),
         ((char*)start)[4096 + 10]);
  printf("byte in kept page: %#x\n", ((unsigned char*)start)[10]);
  uintptr_t below = (uintptr_t)syscall(SYS_brk, start - 4096 * 1024);
  printf("below the start: delta %ld\n", (long)(below - start));
  uintptr_t huge = (uintptr_t)syscall(SYS_brk, start + ((uintptr_t)1 << 46));
  printf("huge: delta %ld\n", (long)(huge - start));
  pid_t child = fork();
  if (child == 0) {
    printf("child sees break delta %lu and byte %#x\n",
           (unsigned long)((uintptr_t)syscall(SYS_brk, 0) - start), ((unsigned char*)start)[10]);
    _exit(0);
  }
  t_wait(child, "child");
  return 0;
}
