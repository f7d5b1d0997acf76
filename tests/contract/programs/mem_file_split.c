// File offsets stay right when a file mapping is split by mprotect, munmap, MAP_FIXED and
// mremap: every page still shows its own page of the file, in the process and in a fork
// child, /proc/self/maps gives each piece the right offset, and a MAP_SHARED piece writes to
// the right place in the file [man 2 mmap, man 5 proc].
#include <sys/mman.h>

#include "contract.h"

#define kPage 4096L
#define kPages 8

static char* g_map;

// One character a page: the file page it shows ('A' + n), '-' when unmapped, '0' when zero.
static void Pages(const char* what) {
  char line[kPages + 1];
  for (int i = 0; i < kPages; ++i) {
    unsigned char vec;
    if (mincore(g_map + i * kPage, kPage, &vec) != 0) {
      line[i] = '-';
    } else {
      char c = g_map[i * kPage + 100];
      line[i] = c == 0 ? '0' : c;
    }
  }
  line[kPages] = 0;
  printf("%s: %s\n", what, line);
}

// The maps lines of file f inside the mapping, as page ranges relative to its start, with perms and
// offset (the path and device vary between machines).
static void Maps(void) {
  FILE* f = fopen("/proc/self/maps", "r");
  if (f == NULL) {
    printf("/proc/self/maps: %s\n", t_errname(errno));
    return;
  }
  char line[512];
  unsigned long base = (unsigned long)g_map, end = base + kPages * kPage;
  while (fgets(line, sizeof(line), f) != NULL) {
    unsigned long s, e, off;
    char perms[8];
    if (sscanf(line, "%lx-%lx %7s %lx", &s, &e, perms, &off) != 4) continue;
    // Only the file's pieces: the allocator may put its own mapping into the hole.
    if (s < base || s >= end || strstr(line, "/f\n") == NULL) continue;
    printf("  pages %ld-%ld %s offset %#lx\n", (long)((s - base) / kPage),
           (long)((e - base) / kPage), perms, off);
  }
  fclose(f);
}

int main(void) {
  int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
  char page[kPage];
  for (int i = 0; i < kPages; ++i) {
    memset(page, 'A' + i, sizeof(page));
    if (write(fd, page, sizeof(page)) != (long)sizeof(page)) return 1;
  }
  g_map = mmap(NULL, kPages * kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  Pages("mapped");
  T_CALL(mprotect(g_map + 2 * kPage, kPage, PROT_READ));
  T_CALL(munmap(g_map + 4 * kPage, kPage));
  void* r = mmap(g_map + 6 * kPage, kPage, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 1 * kPage);
  T_TRUE(r == g_map + 6 * kPage);
  r = mremap(g_map + 5 * kPage, kPage, kPage, MREMAP_MAYMOVE | MREMAP_FIXED, g_map + 4 * kPage);
  T_TRUE(r == g_map + 4 * kPage);
  Pages("after mprotect, munmap, MAP_FIXED, mremap");
  Maps();
  g_map[3 * kPage + 100] = 'x';  // a private copy of page 3
  pid_t child = fork();
  if (child == 0) {
    Pages("fork child");
    _exit(0);
  }
  t_wait(child, "child");
  // mprotect back: the pieces with the same protection and consecutive offsets merge again.
  T_CALL(mprotect(g_map + 2 * kPage, kPage, PROT_READ | PROT_WRITE));
  Maps();

  // A MAP_SHARED mapping split by mprotect writes each piece to its own place in the file.
  char* s = mmap(NULL, 4 * kPage, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 2 * kPage);
  T_CALL(mprotect(s + kPage, kPage, PROT_READ));
  s[2 * kPage] = 'w';
  s[0] = 'v';
  char got[2] = {0, 0};
  T_CALL(pread(fd, &got[0], 1, 4 * kPage));
  T_CALL(pread(fd, &got[1], 1, 2 * kPage));
  printf("file bytes at pages 4 and 2: %c %c\n", got[0], got[1]);
  close(fd);
  return 0;
}
