// Bad input to the path and I/O calls: paths of PATH_MAX bytes, names longer than NAME_MAX,
// symlink chains and loops (40 links at most), negative offsets, huge counts, and bad pointers
// for every call that takes a path [man 7 path_resolution, man 2 open].
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <utime.h>

#include "contract.h"

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

static char g_path[8192];

// "a/a/a/.../a" of exactly `len` bytes (odd: "a" components).
static const char* Deep(size_t len) {
  for (size_t i = 0; i < len; ++i) g_path[i] = (i % 2 == 0) ? 'a' : '/';
  g_path[len] = 0;
  return g_path;
}

static const char* Name(size_t len) {
  memset(g_path, 'n', len);
  g_path[len] = 0;
  return g_path;
}

int main(void) {
  // PATH_MAX counts the NUL: 4095 bytes are walked, 4096 are ENAMETOOLONG before any walk.
  T_CALL(open(Deep(4095), O_RDONLY));
  T_CALL(open(Deep(4096), O_RDONLY));  // 4096 bytes, "a/.../a/"
  T_CALL(open(Deep(4097), O_RDONLY));
  T_CALL(open(Deep(6001), O_RDONLY));
  T_CALL(access(Deep(4097), F_OK));
  T_CALL(mkdir(Deep(4097), 0755));
  T_CALL(chdir(Deep(4097)));
  T_CALL(symlink(Deep(4097), "longlink"));
  T_CALL(symlink(Deep(4095), "longlink"));
  struct stat st;
  T_CALL(lstat("longlink", &st));
  printf("longlink size %lld\n", (long long)st.st_size);
  // The name limit is 255 bytes a component, also in the middle of a path.
  T_CALL(open(Name(255), O_RDWR | O_CREAT, 0644));
  T_CALL(open(Name(256), O_RDWR | O_CREAT, 0644));
  T_CALL(mkdir(Name(256), 0755));
  T_CALL(symlink("x", Name(256)));
  T_CALL(rename("longlink", Name(256)));
  T_CALL(link("longlink", Name(256)));
  T_CALL(stat(Name(256), &st));
  T_CALL(unlink(Name(256)));
  char mid[600];
  memcpy(mid, Name(256), 256);
  memcpy(mid + 256, "/x", 3);
  T_CALL(stat(mid, &st));
  T_CALL(unlink(Name(255)));

  // Symlinks: a chain of 40 resolves, 41 is ELOOP; a loop is ELOOP.
  t_make_file("target", "t");
  char from[32], to[32];
  for (int i = 1; i <= 41; ++i) {
    snprintf(from, sizeof(from), "l%d", i);
    snprintf(to, sizeof(to), i == 1 ? "target" : "l%d", i - 1);
    T_REQUIRE(symlink(to, from) == 0);
  }
  T_CALL(open("l40", O_RDONLY) >= 0);
  T_CALL(open("l41", O_RDONLY));
  T_CALL(stat("l41", &st));
  T_CALL(lstat("l41", &st));
  symlink("loop", "loop");
  symlink("pong", "ping");
  symlink("ping", "pong");
  T_CALL(open("loop", O_RDONLY));
  T_CALL(open("ping", O_RDONLY));
  T_CALL(open("loop/x", O_RDONLY));
  T_CALL(open("loop", O_RDONLY | O_NOFOLLOW));
  T_CALL(open("loop", O_RDWR | O_CREAT, 0644));
  T_CALL(mkdir("loop/d", 0755));
  T_CALL(chdir("ping"));
  T_CALL(access("loop", F_OK));
  T_CALL(faccessat(AT_FDCWD, "loop", F_OK, AT_SYMLINK_NOFOLLOW));
  T_CALL(truncate("loop", 0));

  // Offsets and counts.
  int fd = open("target", O_RDWR);
  char buf[16];
  T_CALL(pread(fd, buf, 1, -1));
  T_CALL(pwrite(fd, buf, 1, -1));
  T_CALL(lseek(fd, -1, SEEK_SET));
  T_CALL(lseek(fd, -2, SEEK_END));
  T_CALL(lseek(fd, 0x7fffffffffffffffLL, SEEK_SET));
  T_CALL(lseek(fd, 1, SEEK_CUR));
  T_CALL(lseek(fd, 0, SEEK_SET));
  struct iovec iov = {buf, 1};
  T_CALL(preadv(fd, &iov, 1, -1));
  T_CALL(pwritev(fd, &iov, 1, -1));
  T_CALL(ftruncate(fd, -1));
  T_CALL(truncate("target", -1));
  T_CALL(read(fd, buf, (size_t)-1));
  T_CALL(write(fd, buf, (size_t)-1));
  T_CALL(pread(fd, buf, (size_t)-1, 0));
  T_CALL(read(fd, buf, (size_t)1 << 62));
  T_CALL(read(fd, buf, 0));
  iov.iov_len = (size_t)-1;
  T_CALL(readv(fd, &iov, 1));
  iov.iov_len = 1;
  T_CALL(readv(fd, &iov, -1));
  T_CALL(readv(fd, &iov, 1025));
  T_CALL(readv(fd, T_BAD_PTR, 1));
  T_CALL(read(fd, T_BAD_PTR, 1));
  T_CALL(write(fd, T_BAD_PTR, 1));

  // A bad pointer for the path of every call that takes one, and for the other buffers.
  void* bad = T_BAD_PTR;
  struct timespec ts[2] = {{0, 0}, {0, 0}};
  struct statfs sfs;
  char out[64];
  T_CALL(open(bad, O_RDONLY));
  T_CALL(openat(AT_FDCWD, bad, O_RDONLY));
  T_CALL(creat(bad, 0644));
  // Raw calls where libc would touch the pointer itself (its stat goes through a copy).
  T_RAW(syscall(SYS_stat, bad, &st));
  T_RAW(syscall(SYS_lstat, bad, &st));
  T_RAW(syscall(SYS_stat, "target", bad));
  T_RAW(syscall(SYS_newfstatat, AT_FDCWD, bad, &st, 0));
  T_RAW(syscall(SYS_newfstatat, AT_FDCWD, bad, &st, AT_EMPTY_PATH));
  T_RAW(syscall(SYS_statx, AT_FDCWD, bad, 0, 0x7ff, out));
  T_RAW(syscall(SYS_statx, AT_FDCWD, "target", 0, 0x7ff, bad));
  T_CALL(access(bad, F_OK));
  T_RAW(syscall(SYS_faccessat2, AT_FDCWD, bad, F_OK, 0));
  T_CALL(mkdir(bad, 0755));
  T_CALL(mkdirat(AT_FDCWD, bad, 0755));
  T_CALL(mknod(bad, S_IFIFO | 0644, 0));
  T_CALL(rmdir(bad));
  T_CALL(unlink(bad));
  T_CALL(unlinkat(AT_FDCWD, bad, AT_REMOVEDIR));
  T_CALL(rename(bad, "x"));
  T_CALL(rename("target", bad));
  T_RAW(syscall(SYS_renameat2, AT_FDCWD, "target", AT_FDCWD, bad, 1));
  T_CALL(link(bad, "x"));
  T_CALL(link("target", bad));
  T_CALL(linkat(AT_FDCWD, bad, AT_FDCWD, "x", 0));
  T_CALL(symlink(bad, "x"));
  T_CALL(symlink("x", bad));
  T_CALL(readlink(bad, out, sizeof(out)));
  T_CALL(readlink("l1", bad, sizeof(out)));
  T_CALL(readlinkat(AT_FDCWD, bad, out, sizeof(out)));
  T_CALL(chmod(bad, 0644));
  T_CALL(fchmodat(AT_FDCWD, bad, 0644, 0));
  T_CALL(chown(bad, 0, 0));
  T_CALL(lchown(bad, 0, 0));
  T_CALL(fchownat(AT_FDCWD, bad, 0, 0, 0));
  T_CALL(truncate(bad, 0));
  T_RAW(syscall(SYS_utimensat, AT_FDCWD, bad, ts, 0));
  T_RAW(syscall(SYS_utimensat, AT_FDCWD, "target", bad, 0));
  T_RAW(syscall(SYS_utime, bad, NULL));
  T_RAW(syscall(SYS_utimes, bad, NULL));
  T_RAW(syscall(SYS_futimesat, AT_FDCWD, bad, NULL));
  T_CALL(chdir(bad));
  T_CALL(chroot(bad));
  T_RAW(syscall(SYS_statfs, bad, &sfs));
  T_RAW(syscall(SYS_statfs, "target", bad));
  T_CALL(mount(bad, "x", "tmpfs", 0, NULL));
  T_CALL(umount2(bad, 0));
  T_RAW(syscall(SYS_pivot_root, bad, "."));
  T_RAW(syscall(SYS_getcwd, bad, 64));
  T_RAW(syscall(SYS_execve, bad, NULL, NULL));
  T_RAW(syscall(SYS_getdents64, open(".", O_RDONLY | O_DIRECTORY), bad, 4096));
  T_CALL(open("", O_RDONLY));
  T_RAW(syscall(SYS_stat, "", &st));
  T_CALL(readlink("target", out, sizeof(out)));
  T_RAW(syscall(SYS_getcwd, out, 1));
  return 0;
}
