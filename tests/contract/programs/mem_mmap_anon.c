// Anonymous private mappings: zero-filled, readable and writable, independent [man 2 mmap].
#include <sys/mman.h>

#include "contract.h"

int main(void) {
  size_t len = 16 * 4096;
  unsigned char* p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  T_TRUE(p != MAP_FAILED);
  T_TRUE(((uintptr_t)p & 4095) == 0);
  size_t nonzero = 0;
  for (size_t i = 0; i < len; ++i) nonzero += p[i] != 0;
  printf("nonzero bytes in a fresh mapping: %zu\n", nonzero);
  for (size_t i = 0; i < len; i += 4096) p[i] = (unsigned char)(i / 4096 + 1);
  unsigned sum = 0;
  for (size_t i = 0; i < len; i += 4096) sum += p[i];
  printf("sum of page markers: %u\n", sum);
  unsigned char* q = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  T_TRUE(q != p);
  q[0] = 0x55;
  T_CALL(p[0]);
  T_CALL(munmap(p, len));
  T_CALL(munmap(q, 4096));
  // MAP_ANONYMOUS ignores fd on Linux, but the offset must still be page aligned.
  void* r = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, 12345, 0);
  T_TRUE(r != MAP_FAILED);
  // A size that is not a page multiple is rounded up.
  unsigned char* s = mmap(NULL, 100, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  s[4095] = 1;
  T_CALL(s[4095]);
  T_CALL(munmap(s, 100));
  return 0;
}
