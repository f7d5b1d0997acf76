// Path resolution details: "." and "..", repeated slashes, ".." at the root, trailing
// slashes on non-directories, and symlinks in the middle of a path [man 7 path_resolution].
#include "contract.h"

int main(void) {
  mkdir("a", 0755);
  mkdir("a/b", 0755);
  t_make_file("a/b/f", "F");
  symlink("a/b", "lb");
  symlink("../..", "a/b/up");
  T_CALL(access("a//b///f", F_OK));
  T_CALL(access("a/./b/../b/f", F_OK));
  T_CALL(access("lb/f", F_OK));
  T_CALL(access("lb/../b/f", F_OK));  // ".." after a symlink is the link target's parent
  T_CALL(access("a/b/up/a/b/f", F_OK));
  T_CALL(access("a/b/f/", F_OK));
  T_CALL(access("a/b/f/.", F_OK));
  T_CALL(access("a/missing/..", F_OK));
  T_CALL(access("/..", F_OK));
  struct stat root, rootdotdot;
  stat("/", &root);
  stat("/../../..", &rootdotdot);
  printf("/.. is /: %s\n", root.st_ino == rootdotdot.st_ino ? "true" : "false");
  int fd = open("a//b/", O_RDONLY | O_DIRECTORY);
  T_CALL(faccessat(fd, "f", F_OK, 0));
  T_CALL(faccessat(fd, "../b/f", F_OK, 0));
  T_CALL(faccessat(fd, "./up/lb", F_OK, 0));
  return 0;
}
