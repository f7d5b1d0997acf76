// Maps 100 GiB of private anonymous memory. With Linux's default overcommit heuristic a
// machine with less memory than that refuses it with ENOMEM [man 5 proc, overcommit_memory];
// prints what happened and exits 0 only on ENOMEM.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

int main(void) {
  size_t len = 100ull << 30;
  void* p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    printf("mmap 100 GiB: %s\n", errno == ENOMEM ? "ENOMEM" : strerror(errno));
    return errno == ENOMEM ? 0 : 1;
  }
  printf("mmap 100 GiB: mapped at %p\n", p);
  return 1;
}
