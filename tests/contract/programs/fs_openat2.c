// openat2(2): struct open_how size and flag validation, and every RESOLVE_* restriction on the
// path walk [man 2 openat2].
#include <sys/mount.h>

#include "contract.h"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#define RESOLVE_NO_XDEV 0x01
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_NO_SYMLINKS 0x04
#define RESOLVE_BENEATH 0x08
#define RESOLVE_IN_ROOT 0x10

struct how {
  uint64_t flags;
  uint64_t mode;
  uint64_t resolve;
};

static long Open2(int dirfd, const char* path, uint64_t flags, uint64_t resolve) {
  struct how h = {.flags = flags, .mode = 0, .resolve = resolve};
  return syscall(SYS_openat2, dirfd, path, &h, sizeof(h));
}

// Opens and prints the first bytes of what was opened (files hold their own name).
static void Show(const char* what, int dirfd, const char* path, uint64_t flags, uint64_t resolve) {
  errno = 0;
  long fd = Open2(dirfd, path, flags, resolve);
  if (fd < 0) {
    printf("%s: -1 %s\n", what, t_errname(errno));
    return;
  }
  char buf[32] = {0};
  long n = read((int)fd, buf, sizeof(buf) - 1);
  if (n > 0 && buf[n - 1] == '\n') buf[n - 1] = 0;
  printf("%s: opened%s%s\n", what, n > 0 ? " " : "", n > 0 ? buf : "");
  close((int)fd);
}

int main(void) {
  // Layout: root/{file, sub/inner, abs -> /etc, up -> ../outside, in -> sub/inner, self -> file}
  mkdir("root", 0755);
  mkdir("root/sub", 0755);
  mkdir("root/etc", 0755);
  mkdir("root/mnt", 0755);
  t_make_file("outside", "outside\n");
  t_make_file("root/file", "file\n");
  t_make_file("root/sub/inner", "inner\n");
  t_make_file("root/etc/passwd", "fake passwd\n");
  symlink("/etc", "root/abs");
  symlink("../outside", "root/up");
  symlink("sub/inner", "root/in");
  symlink("../../file", "root/sub/deep");
  symlink("/file", "root/sub/absfile");
  int root = open("root", O_RDONLY | O_DIRECTORY);
  T_REQUIRE(root >= 0);

  // The size of `how` and its fields.
  struct {
    struct how h;
    uint64_t extra;
  } big = {{O_RDONLY, 0, 0}, 0};
  T_RAW(syscall(SYS_openat2, root, "file", &big, 8));  // below OPEN_HOW_SIZE_VER0
  T_RAW(syscall(SYS_openat2, root, "file", &big, 0));  // zero size
  long fd = T_RAW(syscall(SYS_openat2, root, "file", &big, sizeof(big)));  // zero tail: fine
  close((int)fd);
  big.extra = 1;
  T_RAW(syscall(SYS_openat2, root, "file", &big, sizeof(big)));  // nonzero tail
  T_RAW(syscall(SYS_openat2, root, "file", &big, 4097));         // larger than a page
  T_RAW(syscall(SYS_openat2, root, "file", T_BAD_PTR, 24));
  T_RAW(syscall(SYS_openat2, root, T_BAD_PTR, &big.h, 24));
  struct how h = {O_RDONLY, 0644, 0};
  T_RAW(syscall(SYS_openat2, root, "file", &h, sizeof(h)));  // mode without O_CREAT
  h = (struct how){O_RDWR | O_CREAT, 070000, 0};
  T_RAW(syscall(SYS_openat2, root, "new", &h, sizeof(h)));  // mode beyond S_IALLUGO
  h = (struct how){1ULL << 40, 0, 0};
  T_RAW(syscall(SYS_openat2, root, "file", &h, sizeof(h)));  // flag in the upper half
  h = (struct how){040000000, 0, 0};
  T_RAW(syscall(SYS_openat2, root, "file", &h, sizeof(h)));  // bit 23: not an open flag
  h = (struct how){O_RDONLY, 0, 0x80};
  T_RAW(syscall(SYS_openat2, root, "file", &h, sizeof(h)));  // unknown resolve bit
  h = (struct how){O_RDONLY, 0, RESOLVE_BENEATH | RESOLVE_IN_ROOT};
  T_RAW(syscall(SYS_openat2, root, "file", &h, sizeof(h)));
  h = (struct how){O_RDWR | O_CREAT, 0600, 0};
  fd = T_RAW(syscall(SYS_openat2, root, "created", &h, sizeof(h)));
  struct stat st;
  fstat((int)fd, &st);
  printf("created mode %o\n", st.st_mode & 07777);
  close((int)fd);

  // RESOLVE_NO_SYMLINKS: no symlink anywhere, but O_PATH|O_NOFOLLOW may name one.
  Show("no-symlinks file", root, "sub/inner", O_RDONLY, RESOLVE_NO_SYMLINKS);
  Show("no-symlinks trailing", root, "in", O_RDONLY, RESOLVE_NO_SYMLINKS);
  Show("no-symlinks middle", AT_FDCWD, "root/abs/passwd", O_RDONLY, RESOLVE_NO_SYMLINKS);
  Show("no-symlinks O_PATH|O_NOFOLLOW", root, "in", O_PATH | O_NOFOLLOW, RESOLVE_NO_SYMLINKS);
  Show("no-symlinks O_NOFOLLOW", root, "in", O_RDONLY | O_NOFOLLOW, RESOLVE_NO_SYMLINKS);

  // RESOLVE_BENEATH: never leave dirfd, not even for a moment, and no absolute paths.
  Show("beneath file", root, "sub/inner", O_RDONLY, RESOLVE_BENEATH);
  Show("beneath sub/..", root, "sub/../file", O_RDONLY, RESOLVE_BENEATH);
  Show("beneath ..", root, "../outside", O_RDONLY, RESOLVE_BENEATH);
  Show("beneath ../root/file", root, "../root/file", O_RDONLY, RESOLVE_BENEATH);
  Show("beneath absolute", root, "/etc/passwd", O_RDONLY, RESOLVE_BENEATH);
  Show("beneath relative link", root, "in", O_RDONLY, RESOLVE_BENEATH);
  Show("beneath link up", root, "up", O_RDONLY, RESOLVE_BENEATH);
  Show("beneath link ../../", root, "sub/deep", O_RDONLY, RESOLVE_BENEATH);
  Show("beneath absolute link", root, "abs/passwd", O_RDONLY, RESOLVE_BENEATH);
  Show("beneath AT_FDCWD", AT_FDCWD, "root/file", O_RDONLY, RESOLVE_BENEATH);

  // RESOLVE_IN_ROOT: dirfd is "/" for the walk: absolute paths and links, and "..", stay in.
  Show("in-root file", root, "file", O_RDONLY, RESOLVE_IN_ROOT);
  Show("in-root absolute", root, "/etc/passwd", O_RDONLY, RESOLVE_IN_ROOT);
  Show("in-root ..", root, "../file", O_RDONLY, RESOLVE_IN_ROOT);
  Show("in-root ../../..", root, "../../../etc/passwd", O_RDONLY, RESOLVE_IN_ROOT);
  Show("in-root absolute link", root, "abs/passwd", O_RDONLY, RESOLVE_IN_ROOT);
  Show("in-root link up", root, "up", O_RDONLY, RESOLVE_IN_ROOT);
  Show("in-root link ../../file", root, "sub/deep", O_RDONLY, RESOLVE_IN_ROOT);
  Show("in-root link /file", root, "sub/absfile", O_RDONLY, RESOLVE_IN_ROOT);

  // RESOLVE_NO_MAGICLINKS: /proc/self/fd/N is refused, ordinary symlinks are not.
  int file = open("root/file", O_RDONLY);
  char magic[64];
  snprintf(magic, sizeof(magic), "/proc/self/fd/%d", file);
  Show("plain magic link", AT_FDCWD, magic, O_RDONLY, 0);
  Show("no-magiclinks magic link", AT_FDCWD, magic, O_RDONLY, RESOLVE_NO_MAGICLINKS);
  Show("no-magiclinks O_PATH|O_NOFOLLOW", AT_FDCWD, magic, O_PATH | O_NOFOLLOW,
       RESOLVE_NO_MAGICLINKS);
  Show("no-magiclinks symlink", root, "in", O_RDONLY, RESOLVE_NO_MAGICLINKS);
  Show("no-symlinks magic link", AT_FDCWD, magic, O_RDONLY, RESOLVE_NO_SYMLINKS);
  Show("no-magiclinks exe", AT_FDCWD, "/proc/self/exe", O_RDONLY, RESOLVE_NO_MAGICLINKS);
  // Scoped walks refuse magic links outright.
  int fd_dir = open("/proc/self/fd", O_RDONLY | O_DIRECTORY);
  snprintf(magic, sizeof(magic), "%d", file);
  Show("in fd dir, unscoped", fd_dir, magic, O_RDONLY, 0);
  Show("beneath magic link", fd_dir, magic, O_RDONLY, RESOLVE_BENEATH);
  Show("in-root magic link", fd_dir, magic, O_RDONLY, RESOLVE_IN_ROOT);
  Show("no-xdev magic link to another mount", fd_dir, magic, O_RDONLY, RESOLVE_NO_XDEV);
  close(fd_dir);
  close(file);

  // RESOLVE_NO_XDEV: neither into nor out of another mount.
  T_CALL(mount("none", "root/mnt", "tmpfs", 0, NULL));
  t_make_file("root/mnt/on-mount", "on mount\n");
  Show("no-xdev same mount", root, "sub/inner", O_RDONLY, RESOLVE_NO_XDEV);
  Show("no-xdev into mount", root, "mnt/on-mount", O_RDONLY, RESOLVE_NO_XDEV);
  Show("no-xdev mount point itself", root, "mnt", O_RDONLY | O_DIRECTORY, RESOLVE_NO_XDEV);
  int mnt = open("root/mnt", O_RDONLY | O_DIRECTORY);
  Show("no-xdev inside mount", mnt, "on-mount", O_RDONLY, RESOLVE_NO_XDEV);
  Show("no-xdev .. out of mount", mnt, "../file", O_RDONLY, RESOLVE_NO_XDEV);
  Show("no-xdev absolute link to another mount", root, "abs/passwd", O_RDONLY, RESOLVE_NO_XDEV);
  Show("no-xdev absolute", mnt, "/proc/self/status", O_RDONLY, RESOLVE_NO_XDEV);
  close(mnt);
  T_CALL(umount2("root/mnt", 0));
  return 0;
}
