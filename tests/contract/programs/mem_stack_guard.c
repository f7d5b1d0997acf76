// The stack's guard gap (stack_guard_gap, 256 pages): the stack grows down on a fault below
// it, but not to within 256 pages of an accessible mapping (SIGSEGV), while a PROT_NONE
// mapping does not count; an mmap hint inside the gap is not honoured, MAP_FIXED_NOREPLACE
// there is [man 2 mmap, linux mm/mmap.c expand_downwards, vm_start_gap].
#include <sys/mman.h>

#include "contract.h"

#define kPage 4096UL

// The start of the [stack] VMA, from /proc/self/maps.
static unsigned long StackStart(void) {
  FILE* f = fopen("/proc/self/maps", "r");
  char line[512];
  unsigned long s = 0, e;
  while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
    if (strstr(line, "[stack]") != NULL && sscanf(line, "%lx-%lx", &s, &e) == 2) break;
  }
  if (f != NULL) fclose(f);
  return s;
}

// In a child: optionally maps a page `blocker_pages` below the stack with `prot`, then writes
// one page below the stack. Reports how the child ended.
static void Grow(const char* what, unsigned long blocker_pages, int prot) {
  pid_t child = fork();
  if (child == 0) {
    unsigned long s = StackStart();
    if (s == 0) _exit(3);
    if (blocker_pages != 0) {
      char* want = (char*)(s - blocker_pages * kPage);
      void* b = mmap(want, kPage, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
      if (b != want) _exit(4);
    }
    volatile char* below = (volatile char*)(s - kPage);
    *below = 1;
    _exit(StackStart() == s - kPage ? 0 : 5);  // 0: the stack now starts a page lower
  }
  int status = 0;
  waitpid(child, &status, 0);
  printf("%s: %s\n", what, t_status(status));
}

int main(void) {
  Grow("no mapping below the stack", 0, 0);
  Grow("a readable page 300 pages below", 300, PROT_READ);
  Grow("a readable page 200 pages below", 200, PROT_READ);
  Grow("a PROT_NONE page 200 pages below", 200, PROT_NONE);
  Grow("a PROT_NONE page 2 pages below", 2, PROT_NONE);
  unsigned long s = StackStart();
  char* hint = (char*)(s - 8 * kPage);
  char* p = mmap(hint, kPage, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  printf("hint 8 pages below the stack honoured: %s\n", p == hint ? "true" : "false");
  p = mmap(hint, kPage, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  printf("MAP_FIXED_NOREPLACE there: %s\n", p == hint ? "true" : "false");
  return 0;
}
