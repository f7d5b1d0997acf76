// mremap(2): grow in place or move with MREMAP_MAYMOVE, contents kept; errors [man 2 mremap].
#include <sys/mman.h>

#include "contract.h"

int main(void) {
  int anon = MAP_PRIVATE | MAP_ANONYMOUS;
  char* p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, anon, -1, 0);
  munmap(p + 2 * 4096, 4096);
  memcpy(p, "first", 6);
  memcpy(p + 4096, "second", 7);
  // Block growth in place with a mapping right after.
  char* blocker = mmap(p + 2 * 4096, 4096, PROT_READ, anon | MAP_FIXED_NOREPLACE, -1, 0);
  T_TRUE(blocker == p + 2 * 4096);
  errno = 0;
  void* r = mremap(p, 2 * 4096, 4 * 4096, 0);
  printf("grow without MAYMOVE: %s\n", r == MAP_FAILED ? t_errname(errno) : "ok");
  char* moved = mremap(p, 2 * 4096, 4 * 4096, MREMAP_MAYMOVE);
  T_TRUE(moved != MAP_FAILED);
  printf("moved: %s, contents %s %s, new tail %d\n", moved != p ? "yes" : "no", moved, moved + 4096,
         moved[3 * 4096]);
  char* shrunk = mremap(moved, 4 * 4096, 4096, 0);
  printf("shrink in place: %s\n", shrunk == moved ? "same address" : "moved");
  errno = 0;
  r = mremap(moved + 1, 4096, 8192, MREMAP_MAYMOVE);
  printf("unaligned: %s\n", r == MAP_FAILED ? t_errname(errno) : "ok");
  r = mremap(moved, 4096, 0, MREMAP_MAYMOVE);
  printf("new size 0: %s\n", r == MAP_FAILED ? t_errname(errno) : "ok");
  r = mremap(moved, 4096, 8192, 0x80);
  printf("unknown flag: %s\n", r == MAP_FAILED ? t_errname(errno) : "ok");
  r = mremap(moved, 4096, 8192, MREMAP_FIXED);
  printf("FIXED without MAYMOVE: %s\n", r == MAP_FAILED ? t_errname(errno) : "ok");
  munmap(moved, 4096);
  r = mremap(moved, 4096, 8192, MREMAP_MAYMOVE);
  printf("unmapped source: %s\n", r == MAP_FAILED ? t_errname(errno) : "ok");
  return 0;
}
