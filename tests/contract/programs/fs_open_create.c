// open(2) with O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY, O_NOFOLLOW [man 2 open].
#include "contract.h"

static void Mode(const char* path) {
  struct stat st;
  if (lstat(path, &st) != 0) {
    printf("%s: %s\n", path, t_errname(errno));
    return;
  }
  printf("%s: mode %06o size %lld nlink %lu\n", path, (unsigned)st.st_mode, (long long)st.st_size,
         (unsigned long)st.st_nlink);
}

int main(void) {
  T_CALL(open("new", O_WRONLY | O_CREAT, 0640));
  Mode("new");
  T_CALL(open("new", O_WRONLY | O_CREAT | O_EXCL, 0640));
  T_CALL(open("new", O_RDONLY | O_CREAT, 0777));  // exists: mode ignored
  Mode("new");
  T_CALL(write(3, "abcdef", 6));
  T_CALL(open("new", O_RDWR | O_TRUNC));
  Mode("new");
  T_CALL(open("new", O_RDONLY | O_DIRECTORY));
  T_CALL(open(".", O_RDONLY | O_DIRECTORY));
  T_CALL(symlink("new", "link"));
  T_CALL(open("link", O_RDONLY | O_NOFOLLOW));
  T_CALL(open("link", O_RDONLY | O_NOFOLLOW | O_PATH));
  T_CALL(open("dangling", O_RDONLY));
  T_CALL(symlink("target-missing", "dangling"));
  T_CALL(open("dangling", O_WRONLY | O_CREAT, 0600));  // creates the target
  Mode("target-missing");
  T_CALL(open("dangling", O_WRONLY | O_CREAT | O_EXCL, 0600));  // O_EXCL never follows
  T_CALL(open("new", O_RDONLY | O_CREAT | O_EXCL | O_DIRECTORY, 0600));
  T_CALL(open("x", O_RDONLY | O_CREAT | O_DIRECTORY, 0600));
  T_CALL(open("sub/", O_WRONLY | O_CREAT, 0600));
  T_CALL(open(".", O_WRONLY));
  T_CALL(open(".", O_RDWR));
  T_CALL(open(".", O_RDONLY | O_TRUNC));
  T_CALL(open("new", O_RDONLY | 3));  // access mode 3
  return 0;
}
