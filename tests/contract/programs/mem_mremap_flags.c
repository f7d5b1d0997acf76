// mremap(2) with MREMAP_FIXED and MREMAP_DONTUNMAP, mmap(2) with MAP_POPULATE and
// MAP_NORESERVE, and a heap that never grows into a mapping: brk refuses (returns the old
// break) when the new break would come within a page of the next mapping
// [man 2 mremap, man 2 mmap, man 2 brk].
#include <sys/mman.h>

#include "contract.h"

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

#define kPage 4096L

static const int kAnon = MAP_PRIVATE | MAP_ANONYMOUS;

static void Show(const char* what, void* r, void* expected) {
  if (r == MAP_FAILED) {
    printf("%s = MAP_FAILED %s\n", what, t_errname(errno));
  } else {
    printf("%s: at the expected place: %s\n", what, r == expected ? "true" : "false");
  }
}

// Whether the page at p is mapped: mincore is ENOMEM on an unmapped page.
static const char* Mapped(void* p) {
  unsigned char vec;
  return mincore(p, kPage, &vec) == 0 ? "mapped" : errno == ENOMEM ? "unmapped" : "?";
}

int main(void) {
  // A target area: four pages reserved, then unmapped so the place is known to be free.
  char* area = mmap(NULL, 8 * kPage, PROT_NONE, kAnon, -1, 0);
  munmap(area, 8 * kPage);
  char* p = mmap(NULL, 2 * kPage, PROT_READ | PROT_WRITE, kAnon, -1, 0);
  memset(p, 'a', kPage);
  memset(p + kPage, 'b', kPage);

  errno = 0;
  Show("MREMAP_FIXED without MREMAP_MAYMOVE", mremap(p, 2 * kPage, 2 * kPage, MREMAP_FIXED, area),
       NULL);
  Show("MREMAP_FIXED onto itself",
       mremap(p, 2 * kPage, 2 * kPage, MREMAP_MAYMOVE | MREMAP_FIXED, p + kPage), NULL);
  Show("MREMAP_FIXED to an unaligned place",
       mremap(p, 2 * kPage, 2 * kPage, MREMAP_MAYMOVE | MREMAP_FIXED, area + 1), NULL);
  char* q = mremap(p, 2 * kPage, 3 * kPage, MREMAP_MAYMOVE | MREMAP_FIXED, area);
  Show("MREMAP_FIXED growing to the area", q, area);
  printf("moved contents: %c %c, grown page: %d; old place %s\n", q[0], q[kPage], q[2 * kPage],
         Mapped(p));
  // Onto an existing mapping: what was there is replaced.
  char* r = mmap(NULL, kPage, PROT_READ | PROT_WRITE, kAnon, -1, 0);
  r[0] = 'r';
  char* moved = mremap(r, kPage, kPage, MREMAP_MAYMOVE | MREMAP_FIXED, q + 2 * kPage);
  Show("MREMAP_FIXED over a mapped page", moved, q + 2 * kPage);
  printf("replaced page: %c, its neighbour: %c\n", q[2 * kPage], q[kPage]);

  // MREMAP_DONTUNMAP: the pages move, the old range stays mapped and reads as new zero pages.
  Show("DONTUNMAP without MAYMOVE", mremap(q, kPage, kPage, MREMAP_DONTUNMAP), NULL);
  Show("DONTUNMAP with a new size", mremap(q, kPage, 2 * kPage, MREMAP_MAYMOVE | MREMAP_DONTUNMAP),
       NULL);
  char* d = mremap(q, kPage, kPage, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
  if (d == MAP_FAILED) {
    printf("DONTUNMAP = MAP_FAILED %s\n", t_errname(errno));
  } else {
    printf("DONTUNMAP: moved page %c, old page %s and reads %d, next old page %c\n", d[0],
           Mapped(q), q[0], q[kPage]);
    q[0] = 'n';
    printf("after writing the old page: moved page %c\n", d[0]);
  }

  // DONTUNMAP on shared memory and on a private file mapping (Linux 5.13 on): the old range
  // faults in again from what backs it.
  char* sh = mmap(NULL, kPage, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  sh[0] = 's';
  char* dsh = mremap(sh, kPage, kPage, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
  if (dsh == MAP_FAILED) {
    printf("DONTUNMAP shared = MAP_FAILED %s\n", t_errname(errno));
  } else {
    printf("DONTUNMAP shared: moved page %c, old page %c\n", dsh[0], sh[0]);
    sh[0] = 't';
    printf("after writing the old page: moved page %c\n", dsh[0]);
  }
  t_make_file("f", "file");
  int fd = open("f", O_RDONLY);
  char* fp = mmap(NULL, kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  close(fd);
  fp[0] = 'P';
  char* dfp = mremap(fp, kPage, kPage, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
  if (dfp == MAP_FAILED) {
    printf("DONTUNMAP private file = MAP_FAILED %s\n", t_errname(errno));
  } else {
    printf("DONTUNMAP private file: moved page %c, old page %c\n", dfp[0], fp[0]);
  }

  // MAP_POPULATE: resident at once (mincore), and zero; MAP_NORESERVE: an ordinary mapping.
  char* pop = mmap(NULL, 4 * kPage, PROT_READ | PROT_WRITE, kAnon | MAP_POPULATE, -1, 0);
  unsigned char vec[4] = {0, 0, 0, 0};
  T_CALL(mincore(pop, 4 * kPage, vec));
  printf("MAP_POPULATE resident: %d %d %d %d, first byte %d\n", vec[0] & 1, vec[1] & 1, vec[2] & 1,
         vec[3] & 1, pop[0]);
  char* plain = mmap(NULL, 2 * kPage, PROT_READ | PROT_WRITE, kAnon, -1, 0);
  T_CALL(mincore(plain, 2 * kPage, vec));
  printf("without MAP_POPULATE resident: %d %d\n", vec[0] & 1, vec[1] & 1);
  char* nores = mmap(NULL, 64 * kPage, PROT_READ | PROT_WRITE, kAnon | MAP_NORESERVE, -1, 0);
  T_TRUE(nores != MAP_FAILED);
  nores[63 * kPage] = 'z';
  printf("MAP_NORESERVE last page: %c, first %d\n", nores[63 * kPage], nores[0]);

  // brk stops a page short of the next mapping.
  uintptr_t start = (uintptr_t)syscall(SYS_brk, 0);
  start = (start + kPage - 1) & ~(uintptr_t)(kPage - 1);
  char* wall = mmap((char*)start + 8 * kPage, kPage, PROT_READ, kAnon | MAP_FIXED_NOREPLACE, -1, 0);
  Show("a mapping 8 pages past the break", wall, (char*)start + 8 * kPage);
  uintptr_t b = (uintptr_t)syscall(SYS_brk, start + 7 * kPage);
  printf("brk to 7 pages: delta %ld\n", (long)(b - start));
  b = (uintptr_t)syscall(SYS_brk, start + 7 * kPage + 1);
  printf("brk to 7 pages + 1: delta %ld\n", (long)(b - start));
  b = (uintptr_t)syscall(SYS_brk, start + 16 * kPage);
  printf("brk past the mapping: delta %ld\n", (long)(b - start));
  printf("the mapping reads %d\n", wall[0]);
  return 0;
}
