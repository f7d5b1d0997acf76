// Path lookup errors [man 2 open, man 7 path_resolution].
#include <limits.h>

#include "contract.h"

int main(void) {
  t_make_file("file", "x");
  mkdir("dir", 0755);
  T_CALL(open("missing", O_RDONLY));
  T_CALL(open("missing/x", O_RDONLY));
  T_CALL(open("file/x", O_RDONLY));
  T_CALL(open("file/", O_RDONLY));
  T_CALL(open("dir/", O_RDONLY));
  T_CALL(open("", O_RDONLY));
  T_CALL(open(T_BAD_PTR, O_RDONLY));
  char name[NAME_MAX + 2];
  memset(name, 'n', sizeof(name) - 1);
  name[sizeof(name) - 1] = '\0';
  T_CALL(open(name, O_RDONLY | O_CREAT, 0600));  // 256-byte component
  name[NAME_MAX] = '\0';
  T_CALL(open(name, O_RDONLY | O_CREAT, 0600));  // 255 is fine
  T_CALL(unlink(name));
  static char path[PATH_MAX + 10];
  memset(path, 0, sizeof(path));
  for (size_t i = 0; i + 2 < PATH_MAX + 5; i += 2) memcpy(path + i, "./", 2);
  T_CALL(open(path, O_RDONLY));  // longer than PATH_MAX
  symlink("a", "b");
  symlink("b", "a");
  T_CALL(open("a", O_RDONLY));
  // 40 nested links is the limit [man 7 path_resolution].
  char from[16], to[16];
  for (int i = 0; i < 41; ++i) {
    snprintf(from, sizeof(from), "l%d", i);
    snprintf(to, sizeof(to), i == 40 ? "file" : "l%d", i + 1);
    symlink(to, from);
  }
  T_CALL(open("l1", O_RDONLY));
  T_CALL(open("l0", O_RDONLY));
  T_CALL(open("dir", O_WRONLY));
  T_CALL(openat(999, "file", O_RDONLY));
  T_CALL(openat(3, "file", O_RDONLY));  // fd 3 is not open... then it is
  int filefd = open("file", O_RDONLY);
  T_CALL(openat(filefd, "x", O_RDONLY));
  T_CALL(openat(filefd, "/", O_RDONLY | O_DIRECTORY));  // absolute path ignores dirfd
  int dirfd = open("dir", O_RDONLY | O_DIRECTORY);
  T_CALL(openat(dirfd, "../file", O_RDONLY));
  T_CALL(openat(AT_FDCWD, "file", O_RDONLY));
  return 0;
}
