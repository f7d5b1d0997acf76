// O_TMPFILE on tmpfs: an unnamed file that linkat() can name later, through /proc/self/fd with
// AT_SYMLINK_FOLLOW or with AT_EMPTY_PATH, unless it was opened O_EXCL [man 2 open, man 2 linkat].
#include <dirent.h>

#include "contract.h"

static void Entries(const char* what) {
  DIR* d = opendir(".");
  int n = 0;
  struct dirent* e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) ++n;
  }
  closedir(d);
  printf("%s: %d entries\n", what, n);
}

static void Links(const char* what, int fd) {
  struct stat st;
  T_REQUIRE(fstat(fd, &st) == 0);
  printf("%s: nlink %ld mode %o size %lld\n", what, (long)st.st_nlink, st.st_mode & 0170777,
         (long long)st.st_size);
}

int main(void) {
  mkdir("d", 0755);
  T_REQUIRE(chdir("d") == 0);
  t_make_file("../regular", "x");

  // The flag checks: O_TMPFILE needs write access and a directory.
  T_CALL(open(".", O_TMPFILE | O_RDONLY, 0600));
  T_CALL(open(".", O_TMPFILE, 0600));
  T_CALL(open(".", O_TMPFILE | O_RDWR | O_CREAT, 0600));
  T_CALL(open(".", (O_TMPFILE & ~O_DIRECTORY) | O_RDWR, 0600));
  T_CALL(open("../regular", O_TMPFILE | O_RDWR, 0600));
  T_CALL(open("missing", O_TMPFILE | O_RDWR, 0600));
  T_CALL(open(T_BAD_PTR, O_TMPFILE | O_RDWR, 0600));

  int fd = T_CALL(open(".", O_TMPFILE | O_RDWR, 0640));
  Entries("after O_TMPFILE");
  Links("unnamed", fd);
  T_CALL(write(fd, "hello", 5));
  Links("written", fd);
  T_CALL(pread(fd, (char[8]){0}, 8, 0));
  char proc[64];
  snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
  T_CALL(linkat(AT_FDCWD, proc, AT_FDCWD, "via-proc", 0));  // the link itself, on procfs: EXDEV
  T_CALL(linkat(AT_FDCWD, proc, AT_FDCWD, "via-proc", AT_SYMLINK_FOLLOW));
  Links("linked once", fd);
  T_CALL(linkat(fd, "", AT_FDCWD, "via-empty", AT_EMPTY_PATH));
  Links("linked twice", fd);
  T_CALL(linkat(fd, "", AT_FDCWD, "via-empty", AT_EMPTY_PATH));  // name taken
  T_CALL(linkat(fd, "", AT_FDCWD, "x", 0));                      // "" without AT_EMPTY_PATH
  Entries("after linking");
  t_print_file("via-proc");
  t_print_file("via-empty");
  T_CALL(write(fd, "!", 1));
  t_print_file("via-proc");

  // O_EXCL: this one can never be linked.
  int excl = T_CALL(open(".", O_TMPFILE | O_WRONLY | O_EXCL, 0600));
  T_CALL(write(excl, "e", 1));
  snprintf(proc, sizeof(proc), "/proc/self/fd/%d", excl);
  T_CALL(linkat(AT_FDCWD, proc, AT_FDCWD, "excl-proc", AT_SYMLINK_FOLLOW));
  T_CALL(linkat(excl, "", AT_FDCWD, "excl-empty", AT_EMPTY_PATH));
  Links("excl", excl);

  // Once linked it is an ordinary file: unlinked again, its fd cannot bring it back ...
  T_CALL(unlink("via-proc"));
  T_CALL(unlink("via-empty"));
  Links("unlinked again", fd);
  T_CALL(linkat(fd, "", AT_FDCWD, "relinked", AT_EMPTY_PATH));
  t_print_file("relinked");
  // ... no more than an ordinary file that was unlinked.
  int plain = open("plain", O_RDWR | O_CREAT, 0600);
  unlink("plain");
  T_CALL(linkat(plain, "", AT_FDCWD, "plain-again", AT_EMPTY_PATH));

  // The tmpfile takes the umask and the directory's group rules like any creation.
  umask(077);
  int masked = T_CALL(open(".", O_TMPFILE | O_RDWR, 0666));
  Links("umask 077", masked);
  close(masked);
  close(fd);
  close(excl);
  close(plain);
  Entries("at the end");
  return 0;
}
