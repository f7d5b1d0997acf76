// madvise(2) with every advice value: each accepted or refused with the errno Linux gives,
// and the ones with visible effects checked: MADV_DONTFORK/DOFORK (the child has the range or
// not), MADV_WIPEONFORK/KEEPONFORK (the child reads zeros or the parent's bytes), MADV_REMOVE
// on shared memory, MADV_POPULATE_READ/WRITE against the protections [man 2 madvise].
// Not here: MADV_HWPOISON and MADV_SOFT_OFFLINE (they poison real memory when the kernel has
// CONFIG_MEMORY_FAILURE and the caller CAP_SYS_ADMIN, EINVAL otherwise: kernels differ), and
// the guard-region advice of Linux 6.13 (102, 103).
#include <sys/mman.h>

#include "contract.h"

#ifndef MADV_COLD
#define MADV_COLD 20
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#ifndef MADV_DONTNEED_LOCKED
#define MADV_DONTNEED_LOCKED 24
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

#define kPage 4096

static char* Map(int prot, int flags) {
  return mmap(NULL, 4 * kPage, prot, flags | MAP_ANONYMOUS, -1, 0);
}

// What a fork child finds at p: "unmapped" (a write from it is EFAULT) or its first byte.
static void ChildSees(const char* what, const char* p) {
  int fds[2];
  if (pipe(fds) != 0) return;
  pid_t child = fork();
  if (child == 0) {
    close(fds[0]);
    char b = 0;
    if (write(fds[1], p, 1) != 1) {
      b = errno == EFAULT ? 'U' : '?';
    } else {
      b = p[0] == 0 ? '0' : p[0];
    }
    _exit(write(fds[1], &b, 1) == 1 ? 0 : 1);
  }
  close(fds[1]);
  char buf[2] = {0, 0};
  long n = 0, got;
  while (n < 2 && (got = read(fds[0], buf + n, (size_t)(2 - n))) > 0) n += got;
  close(fds[0]);
  t_wait(child, what);
  char b = n == 1 ? buf[0] : buf[1];
  printf("%s: child sees %s\n", what,
         b == 'U'   ? "unmapped"
         : b == '0' ? "zeros"
         : b == 'x' ? "the parent's bytes"
                    : "?");
}

int main(void) {
  char* p = Map(PROT_READ | PROT_WRITE, MAP_PRIVATE);
  memset(p, 'x', 4 * kPage);
  static const struct {
    int advice;
    const char* name;
  } kAll[] = {
      {MADV_NORMAL, "MADV_NORMAL"},
      {MADV_RANDOM, "MADV_RANDOM"},
      {MADV_SEQUENTIAL, "MADV_SEQUENTIAL"},
      {MADV_WILLNEED, "MADV_WILLNEED"},
      {MADV_FREE, "MADV_FREE"},
      {MADV_REMOVE, "MADV_REMOVE"},
      {MADV_DONTFORK, "MADV_DONTFORK"},
      {MADV_DOFORK, "MADV_DOFORK"},
      {MADV_MERGEABLE, "MADV_MERGEABLE"},
      {MADV_UNMERGEABLE, "MADV_UNMERGEABLE"},
      {MADV_HUGEPAGE, "MADV_HUGEPAGE"},
      {MADV_NOHUGEPAGE, "MADV_NOHUGEPAGE"},
      {MADV_DONTDUMP, "MADV_DONTDUMP"},
      {MADV_DODUMP, "MADV_DODUMP"},
      {MADV_WIPEONFORK, "MADV_WIPEONFORK"},
      {MADV_KEEPONFORK, "MADV_KEEPONFORK"},
      {MADV_COLD, "MADV_COLD"},
      {MADV_PAGEOUT, "MADV_PAGEOUT"},
      {MADV_POPULATE_READ, "MADV_POPULATE_READ"},
      {MADV_POPULATE_WRITE, "MADV_POPULATE_WRITE"},
      {MADV_DONTNEED_LOCKED, "MADV_DONTNEED_LOCKED"},
      {MADV_COLLAPSE, "MADV_COLLAPSE (a mapping smaller than a huge page)"},
      {5, "5 (unused)"},
      {7, "7 (unused)"},
      {26, "26 (unused)"},
      {99, "99"},
      {-1, "-1"},
  };
  // The last page of the private mapping gets each advice (MADV_FREE may drop it).
  char* last = p + 3 * kPage;
  for (size_t i = 0; i < sizeof(kAll) / sizeof(kAll[0]); ++i) {
    errno = 0;
    long r = madvise(last, kPage, kAll[i].advice);
    printf("private anon, %s = %ld %s\n", kAll[i].name, r, r < 0 ? t_errname(errno) : "");
  }
  char* s = Map(PROT_READ | PROT_WRITE, MAP_SHARED);
  memset(s, 'x', 4 * kPage);
  T_CALL(madvise(s, kPage, MADV_FREE));
  T_CALL(madvise(s, kPage, MADV_WIPEONFORK));
  T_CALL(madvise(s, kPage, MADV_REMOVE));
  printf("shared page after MADV_REMOVE: %d, the next: %c\n", s[0], s[kPage]);
  T_CALL(madvise(s, kPage, MADV_DONTNEED));
  printf("shared page after MADV_DONTNEED: %c\n", s[kPage]);

  // Fork advice.
  T_CALL(madvise(p, kPage, MADV_DONTFORK));
  ChildSees("after MADV_DONTFORK", p);
  ChildSees("the next page", p + kPage);
  T_CALL(madvise(p, kPage, MADV_DOFORK));
  ChildSees("after MADV_DOFORK", p);
  T_CALL(madvise(p, kPage, MADV_WIPEONFORK));
  ChildSees("after MADV_WIPEONFORK", p);
  printf("the parent's own page after that: %c\n", p[0]);
  T_CALL(madvise(p, kPage, MADV_KEEPONFORK));
  ChildSees("after MADV_KEEPONFORK", p);

  // Populate against the protections, and over a hole.
  char* ro = Map(PROT_READ, MAP_PRIVATE);
  char* none = Map(PROT_NONE, MAP_PRIVATE);
  T_CALL(madvise(ro, kPage, MADV_POPULATE_READ));
  T_CALL(madvise(ro, kPage, MADV_POPULATE_WRITE));
  T_CALL(madvise(none, kPage, MADV_POPULATE_READ));
  T_CALL(madvise(none, kPage, MADV_POPULATE_WRITE));
  munmap(ro + kPage, kPage);
  T_CALL(madvise(ro, 3 * kPage, MADV_POPULATE_READ));
  T_CALL(madvise(ro, 3 * kPage, MADV_WILLNEED));
  T_CALL(madvise(ro, 3 * kPage, MADV_DONTFORK));
  T_CALL(madvise(ro + kPage, kPage, MADV_NORMAL));
  T_CALL(madvise(ro + 1, kPage, MADV_NORMAL));
  T_CALL(madvise(ro, 0, MADV_NORMAL));
  T_CALL(madvise(ro, (size_t)-4096, MADV_NORMAL));
  return 0;
}
