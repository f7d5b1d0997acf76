// MAP_FIXED replaces what is there; MAP_FIXED_NOREPLACE refuses with EEXIST; a hint that is
// free is honoured [man 2 mmap].
#include <sys/mman.h>

#include "contract.h"

int main(void) {
  int anon = MAP_PRIVATE | MAP_ANONYMOUS;
  char* base = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, anon, -1, 0);
  memset(base, 'a', 4 * 4096);
  char* fixed = mmap(base + 4096, 4096, PROT_READ | PROT_WRITE, anon | MAP_FIXED, -1, 0);
  T_TRUE(fixed == base + 4096);
  printf("replaced page reads %d, neighbours %c %c\n", fixed[0], base[0], base[2 * 4096]);
  errno = 0;
  void* nr = mmap(base + 2 * 4096, 4096, PROT_READ, anon | MAP_FIXED_NOREPLACE, -1, 0);
  printf("noreplace over a mapping: %s\n", nr == MAP_FAILED ? t_errname(errno) : "mapped");
  munmap(base + 3 * 4096, 4096);
  nr = mmap(base + 3 * 4096, 4096, PROT_READ, anon | MAP_FIXED_NOREPLACE, -1, 0);
  printf("noreplace in a hole: %s\n", nr == base + 3 * 4096 ? "at the address" : "elsewhere");
  munmap(base, 4 * 4096);
  char* hint = mmap(base, 4096, PROT_READ, anon, -1, 0);
  printf("free hint honoured: %s\n", hint == base ? "true" : "false");
  // A hint that is taken is not an error: the kernel picks another place.
  char* other = mmap(base, 4096, PROT_READ, anon, -1, 0);
  printf("taken hint: %s\n", other == MAP_FAILED ? t_errname(errno)
                             : other == base     ? "same"
                                                 : "elsewhere");
  return 0;
}
