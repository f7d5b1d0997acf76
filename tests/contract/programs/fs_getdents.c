// getdents64(2): every entry once, with d_type; names printed sorted (order is up to the
// filesystem); a small buffer still makes progress, a too-small one is EINVAL [man 2 getdents].
#include <dirent.h>

#include "contract.h"

struct linux_dirent64 {
  unsigned long long d_ino;
  long long d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

static int Cmp(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

static void List(const char* path, size_t bufsize) {
  int fd = open(path, O_RDONLY | O_DIRECTORY);
  char* buf = malloc(bufsize);
  char* names[64];
  int count = 0, calls = 0;
  for (;;) {
    long n = syscall(SYS_getdents64, fd, buf, bufsize);
    ++calls;
    if (n < 0) {
      printf("getdents64(%zu): %s\n", bufsize, t_errname(errno));
      break;
    }
    if (n == 0) break;
    for (long off = 0; off < n;) {
      struct linux_dirent64* d = (struct linux_dirent64*)(buf + off);
      char* entry = malloc(300);
      const char* type = d->d_type == DT_REG    ? "reg"
                         : d->d_type == DT_DIR  ? "dir"
                         : d->d_type == DT_LNK  ? "lnk"
                         : d->d_type == DT_FIFO ? "fifo"
                                                : "other";
      snprintf(entry, 300, "%s (%s)", d->d_name, type);
      if (count < 64) names[count++] = entry;
      off += d->d_reclen;
    }
  }
  qsort(names, count, sizeof(char*), Cmp);
  printf("%s with a %zu-byte buffer: %d entries%s\n", path, bufsize, count,
         calls > 2 ? ", several calls" : "");
  for (int i = 0; i < count; ++i) printf("  %s\n", names[i]);
  close(fd);
}

int main(void) {
  mkdir("d", 0755);
  t_make_file("d/file1", "1");
  t_make_file("d/file2", "2");
  mkdir("d/sub", 0755);
  symlink("file1", "d/link");
  mkfifo("d/fifo", 0644);
  List("d", 4096);
  List("d", 64);
  List("d", 8);
  List("d/sub", 4096);
  t_make_file("f", "x");
  int fd = open("f", O_RDONLY);
  char buf[256];
  T_CALL(syscall(SYS_getdents64, fd, buf, sizeof(buf)));
  T_CALL(syscall(SYS_getdents64, 999, buf, sizeof(buf)));
  int dfd = open("d", O_RDONLY);
  T_CALL(syscall(SYS_getdents64, dfd, T_BAD_PTR, sizeof(buf)));
  // Entries removed while reading are not returned after the removal.
  mkdir("e", 0755);
  t_make_file("e/x", "x");
  int efd = open("e", O_RDONLY);
  unlink("e/x");
  long n = syscall(SYS_getdents64, efd, buf, sizeof(buf));
  int entries = 0;
  for (long off = 0; off < n; off += ((struct linux_dirent64*)(buf + off))->d_reclen) ++entries;
  printf("entries after unlink: %d\n", entries);
  return 0;
}
