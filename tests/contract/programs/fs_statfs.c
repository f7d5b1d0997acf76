// statfs(2)/fstatfs(2) [man 2 statfs]: the file system type, block and name sizes, and the
// mount flags (ST_*: relatime is mount(2)'s default) of a tmpfs mounted with no options and
// of a read-only, nosuid, noatime one; the counts that depend on the machine's memory are
// left out. Bad input, through the raw calls (libc copies the result itself): a missing path
// ENOENT, bad pointers EFAULT, a bad fd EBADF.
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>

#include "contract.h"

static void show(const char* label, const struct statfs* s) {
  printf("%s: type %#lx bsize %ld namelen %ld frsize %ld flags %#lx\n", label, (long)s->f_type,
         (long)s->f_bsize, (long)s->f_namelen, (long)s->f_frsize, (long)s->f_flags);
}

static int in_child(void* arg) {
  (void)arg;
  struct statfs s;
  T_REQUIRE(mkdir("m", 0755) == 0);
  T_CALL(mount("none", "m", "tmpfs", 0, NULL));
  if (statfs("m", &s) == 0) show("tmpfs", &s);
  T_CALL(mount("none", "m", "tmpfs", MS_RDONLY | MS_NOSUID | MS_NOATIME, NULL));
  if (statfs("m", &s) == 0) show("tmpfs ro,nosuid,noatime", &s);
  int fd = open("m", O_RDONLY | O_DIRECTORY);
  if (fstatfs(fd, &s) == 0) show("fstatfs of it", &s);
  close(fd);
  T_CALL(umount2("m", 0));
  T_CALL(umount2("m", 0));
  return 0;
}

int main(void) {
  struct statfs s;
  t_wait(t_fork(in_child, NULL), "mounts");
  T_CALL(syscall(SYS_statfs, "missing", &s));
  T_CALL(syscall(SYS_statfs, T_BAD_PTR, &s));
  T_CALL(syscall(SYS_statfs, ".", T_BAD_PTR));
  T_CALL(syscall(SYS_fstatfs, -1, &s));
  T_CALL(syscall(SYS_fstatfs, 0, T_BAD_PTR));
  return 0;
}
