// madvise(MADV_DONTNEED) drops private anonymous pages: they read back as zeros; file-backed
// private pages read back the file [man 2 madvise].
#include <sys/mman.h>

#include "contract.h"

int main(void) {
  char* p = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  memset(p, 'x', 2 * 4096);
  T_CALL(madvise(p, 4096, MADV_DONTNEED));
  printf("after DONTNEED: page0 %d page1 %c\n", p[0], p[4096]);
  t_make_file("f", "file contents");
  int fd = open("f", O_RDONLY);
  char* f = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  f[0] = 'F';
  T_CALL(madvise(f, 4096, MADV_DONTNEED));
  printf("file page after DONTNEED: %c\n", f[0]);
  T_CALL(madvise(p, 4096, MADV_WILLNEED));
  T_CALL(madvise(p, 4096, MADV_SEQUENTIAL));
  T_CALL(madvise(p, 4096, MADV_RANDOM));
  T_CALL(madvise(p, 4096, 999));
  T_CALL(madvise(p + 100, 4096, MADV_DONTNEED));
  munmap(p + 4096, 4096);
  T_CALL(madvise(p, 2 * 4096, MADV_DONTNEED));
  return 0;
}
