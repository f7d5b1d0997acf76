// mmap(2) argument errors [man 2 mmap, ERRORS].
#include <sys/mman.h>

#include "contract.h"

static void Try(const char* what, void* addr, size_t len, int prot, int flags, int fd, off_t off) {
  errno = 0;
  void* p = mmap(addr, len, prot, flags, fd, off);
  if (p == MAP_FAILED) {
    printf("%s: %s\n", what, t_errname(errno));
  } else {
    printf("%s: mapped\n", what);
    munmap(p, len);
  }
}

int main(void) {
  int anon = MAP_PRIVATE | MAP_ANONYMOUS;
  Try("len 0", NULL, 0, PROT_READ, anon, -1, 0);
  Try("no private/shared", NULL, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0);
  Try("private|shared", NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  Try("fixed unaligned", (void*)0x10000001, 4096, PROT_READ, anon | MAP_FIXED, -1, 0);
  Try("anon unaligned offset", NULL, 4096, PROT_READ, anon, -1, 1);
  Try("huge length", NULL, (size_t)1 << 62, PROT_READ, anon, -1, 0);
  Try("length -4096", NULL, (size_t)-4096, PROT_READ, anon, -1, 0);
  Try("bad fd", NULL, 4096, PROT_READ, MAP_PRIVATE, 999, 0);
  Try("closed fd 3", NULL, 4096, PROT_READ, MAP_PRIVATE, 3, 0);
  t_make_file("f", "0123456789");
  int ro = open("f", O_RDONLY);
  Try("shared writable on read-only fd", NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0);
  Try("private writable on read-only fd", NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
  Try("file unaligned offset", NULL, 4096, PROT_READ, MAP_PRIVATE, ro, 100);
  Try("negative offset", NULL, 4096, PROT_READ, MAP_PRIVATE, ro, -4096);
  int wo = open("f", O_WRONLY);
  Try("write-only fd", NULL, 4096, PROT_READ, MAP_PRIVATE, wo, 0);
  int pipefd[2];
  pipe(pipefd);
  Try("pipe", NULL, 4096, PROT_READ, MAP_PRIVATE, pipefd[0], 0);
  int dir = open(".", O_RDONLY | O_DIRECTORY);
  Try("directory", NULL, 4096, PROT_READ, MAP_PRIVATE, dir, 0);
  Try("fixed in kernel half", (void*)0xffff800000000000ull, 4096, PROT_READ, anon | MAP_FIXED, -1,
      0);
  Try("fixed crossing the user end", (void*)0x7ffffffff000ull, 8192, PROT_READ, anon | MAP_FIXED,
      -1, 0);
  Try("unknown prot bit", NULL, 4096, 0x100, anon, -1, 0);
  Try("shared_validate unknown flag", NULL, 4096, PROT_READ,
      MAP_SHARED_VALIDATE | MAP_ANONYMOUS | 0x800000, -1, 0);
  return 0;
}
