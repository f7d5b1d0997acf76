// What /proc/self/maps says of each kind of mapping [man 5 proc; fs/proc/task_mmu.c
// show_map_vma]: a file mapping shows the file's offset, device (major:minor of st_dev),
// inode and absolute path, and " (deleted)" once the file is unlinked; the program's own
// image is named by the path /proc/self/exe gives; private anonymous memory shows
// "00000000 00:00 0" and no name; shared anonymous memory is "/dev/zero (deleted)". Names
// start in column 74.
#include <limits.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "contract.h"

struct line {
  unsigned long start, offset, inode;
  unsigned major, minor;
  char perms[8];
  char name[PATH_MAX + 16];
  int name_column;  // 1-based column the name starts in, 0 when there is none
};

// The maps line of the mapping that contains `addr`; 0 when there is none.
static int find_line(const void* addr, struct line* out) {
  FILE* f = fopen("/proc/self/maps", "r");
  if (!f) return 0;
  char text[PATH_MAX + 128];
  int found = 0;
  while (!found && fgets(text, sizeof(text), f)) {
    unsigned long start, end;
    int consumed = 0;
    struct line l = {0};
    if (sscanf(text, "%lx-%lx %7s %lx %x:%x %lu %n", &start, &end, l.perms, &l.offset, &l.major,
               &l.minor, &l.inode, &consumed) < 7)
      continue;
    if ((unsigned long)addr < start || (unsigned long)addr >= end) continue;
    text[strcspn(text, "\n")] = 0;
    l.start = start;
    if (text[consumed]) {
      snprintf(l.name, sizeof(l.name), "%s", text + consumed);
      l.name_column = consumed + 1;
    }
    *out = l;
    found = 1;
  }
  fclose(f);
  return found;
}

static void check_file_line(const char* label, const void* addr, const char* path,
                            const struct stat* st, unsigned long offset, const char* suffix) {
  struct line l;
  if (!find_line(addr, &l)) {
    printf("%s: no maps line\n", label);
    return;
  }
  char want[PATH_MAX + 16];
  snprintf(want, sizeof(want), "%s%s", path, suffix);
  printf("%s: perms %s, offset matches: %s, device matches: %s, inode matches: %s\n", label,
         l.perms, l.offset == offset ? "true" : "false",
         l.major == major(st->st_dev) && l.minor == minor(st->st_dev) ? "true" : "false",
         l.inode == st->st_ino ? "true" : "false");
  printf("%s: name is the path: %s, in column %d\n", label,
         strcmp(l.name, want) == 0 ? "true" : "false", l.name_column);
}

int main(void) {
  char cwd[PATH_MAX];
  T_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
  char path[PATH_MAX + 16];
  snprintf(path, sizeof(path), "%s/mapped", cwd);
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  T_REQUIRE(fd >= 0);
  T_CALL(ftruncate(fd, 3 * 4096));
  struct stat st;
  T_CALL(fstat(fd, &st));

  // Offset 4096, read-only, private; and a shared writable mapping of the whole file.
  char* ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 4096);
  char* rw = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  T_REQUIRE(ro != MAP_FAILED && rw != MAP_FAILED);
  check_file_line("private at 4096", ro, path, &st, 4096, "");
  check_file_line("shared", rw, path, &st, 0, "");
  // Splitting the shared mapping keeps each part's file offset.
  T_CALL(mprotect(rw + 4096, 4096, PROT_READ));
  check_file_line("split middle", rw + 4096, path, &st, 4096, "");
  check_file_line("split tail", rw + 2 * 4096, path, &st, 2 * 4096, "");

  // Unlinked, the mapping keeps the file and says so.
  T_CALL(unlink(path));
  check_file_line("after unlink", ro, path, &st, 4096, " (deleted)");
  close(fd);

  // The program's own text: the file /proc/self/exe names.
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  T_REQUIRE(n > 0);
  exe[n] = 0;
  struct stat exe_st;
  T_CALL(stat(exe, &exe_st));
  struct line l;
  int text_found = find_line((const void*)&main, &l);
  T_TRUE(text_found);
  printf("own text: executable: %s, inode matches: %s, named /proc/self/exe: %s\n",
         l.perms[2] == 'x' ? "true" : "false", l.inode == exe_st.st_ino ? "true" : "false",
         strcmp(l.name, exe) == 0 ? "true" : "false");

  // Anonymous memory.
  char* anon = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char* shanon = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  T_REQUIRE(anon != MAP_FAILED && shanon != MAP_FAILED);
  anon[0] = 1;
  shanon[0] = 1;
  if (find_line(anon, &l)) {
    printf("private anon: %s %08lx %02x:%02x %lu, named: %s\n", l.perms, l.offset, l.major, l.minor,
           l.inode, l.name_column ? "true" : "false");
  }
  if (find_line(shanon, &l)) {
    printf("shared anon: %s, offset %08lx, name \"%s\" in column %d\n", l.perms, l.offset, l.name,
           l.name_column);
  }
  return 0;
}
