// umount2(2) flags (MNT_DETACH, MNT_FORCE, MNT_EXPIRE, UMOUNT_NOFOLLOW), EBUSY on a busy mount,
// and pivot_root(2) with the errors Linux gives [man 2 umount, man 2 pivot_root].
#include <sys/mount.h>

#include "contract.h"

static int pivot_root(const char* new_root, const char* put_old) {
  return (int)syscall(SYS_pivot_root, new_root, put_old);
}

#ifndef UMOUNT_NOFOLLOW
#define UMOUNT_NOFOLLOW 8
#endif

static int Umount(void* arg) {
  (void)arg;
  mkdir("m", 0755);
  t_make_file("m/under", "under\n");
  T_CALL(umount2("m", 0));  // not a mount point
  T_CALL(umount2("missing", 0));
  T_CALL(umount2(T_BAD_PTR, 0));
  T_CALL(mount("none", "m", "nosuchfs", 0, NULL));
  T_CALL(mount("none", "missing", "tmpfs", 0, NULL));
  T_CALL(mount("none", "m/under", "tmpfs", 0, NULL));  // tmpfs on a file
  T_CALL(mount("none", T_BAD_PTR, "tmpfs", 0, NULL));
  T_CALL(mount("none", "m", T_BAD_PTR, 0, NULL));

  T_CALL(mount("none", "m", "tmpfs", 0, NULL));
  t_print_file("m/under");
  t_make_file("m/over", "over\n");
  T_CALL(umount2("m", 0x100));  // unknown flag
  T_CALL(umount2("m", MNT_EXPIRE | MNT_DETACH));
  T_CALL(umount2("m", MNT_EXPIRE | MNT_FORCE));
  // Busy: an open file, then a cwd, then nothing.
  int fd = open("m/over", O_RDONLY);
  T_CALL(umount2("m", 0));
  T_CALL(umount2("m", MNT_FORCE));
  close(fd);
  T_REQUIRE(chdir("m") == 0);
  T_CALL(umount2("../m", 0));
  T_REQUIRE(chdir("..") == 0);
  T_CALL(umount2("m", MNT_FORCE));
  t_print_file("m/under");

  // MNT_EXPIRE: the first call only marks an unused mount, the second unmounts it.
  T_CALL(mount("none", "m", "tmpfs", 0, NULL));
  T_CALL(umount2("m", MNT_EXPIRE));
  T_CALL(umount2("m", MNT_EXPIRE));
  t_print_file("m/under");

  // MNT_DETACH: gone from the tree at once, still usable through what is open.
  T_CALL(mount("none", "m", "tmpfs", 0, NULL));
  t_make_file("m/kept", "kept\n");
  fd = open("m/kept", O_RDWR);
  int dir = open("m", O_RDONLY | O_DIRECTORY);
  T_CALL(umount2("m", 0));
  T_CALL(umount2("m", MNT_DETACH));
  t_print_file("m/kept");
  t_print_file("m/under");
  char buf[16] = {0};
  T_CALL(pread(fd, buf, sizeof(buf), 0));
  T_CALL(write(fd, "more", 4));
  T_CALL(openat(dir, "kept", O_RDONLY) >= 0);
  T_CALL(mkdirat(dir, "newdir", 0755));
  T_CALL(umount2("m", MNT_DETACH));  // nothing mounted there any more
  close(fd);
  close(dir);

  // UMOUNT_NOFOLLOW: a symlink to a mount point names the link, not the mount.
  T_CALL(mount("none", "m", "tmpfs", 0, NULL));
  symlink("m", "link");
  T_CALL(umount2("link", UMOUNT_NOFOLLOW));
  T_CALL(umount2("link", 0));
  t_print_file("m/under");

  // Stacked mounts come off one at a time; a parent with a child mount is busy.
  T_CALL(mount("none", "m", "tmpfs", 0, NULL));
  T_CALL(mount("none", "m", "tmpfs", 0, NULL));
  T_CALL(umount2("m", 0));
  T_CALL(umount2("m", 0));
  T_CALL(umount2("m", 0));
  T_CALL(mount("none", "m", "tmpfs", 0, NULL));
  mkdir("m/child", 0755);
  T_CALL(mount("none", "m/child", "tmpfs", 0, NULL));
  T_CALL(umount2("m", 0));
  T_CALL(umount2("m", MNT_DETACH));  // takes the child with it
  t_print_file("m/under");
  return 0;
}

static int Pivot(void* arg) {
  (void)arg;
  // A root that is itself a mount (with a parent): a tmpfs we chroot into.
  mkdir("r", 0755);
  T_REQUIRE(mount("none", "r", "tmpfs", 0, NULL) == 0);
  mkdir("r/new", 0755);
  mkdir("r/plain", 0755);
  mkdir("r/plain/old", 0755);
  t_make_file("r/file", "file\n");
  T_REQUIRE(chroot("r") == 0);
  T_REQUIRE(chdir("/") == 0);

  T_CALL(pivot_root("/missing", "/missing"));
  T_CALL(pivot_root("/file", "/file"));        // not a directory
  T_CALL(pivot_root("/plain", "/plain/old"));  // on the root's own mount: EBUSY
  T_CALL(pivot_root(T_BAD_PTR, "/plain"));
  T_CALL(pivot_root("/plain", T_BAD_PTR));
  T_REQUIRE(mount("none", "/new", "tmpfs", 0, NULL) == 0);
  mkdir("/new/old", 0755);
  mkdir("/new/sub", 0755);
  mkdir("/new/sub/old", 0755);
  t_make_file("/new/hello", "hello from new\n");
  T_CALL(pivot_root("/new/sub", "/new/sub/old"));  // new_root is not a mount point
  T_CALL(pivot_root("/new", "/plain/old"));        // put_old not under new_root
  T_CALL(pivot_root("/new", "/new/missing"));
  T_CALL(pivot_root("/new", "/new/hello"));  // put_old not a directory
  T_CALL(pivot_root("/new", "/new/old"));
  char cwd[64];
  printf("cwd %s\n", getcwd(cwd, sizeof(cwd)) ? cwd : "(unreachable)");
  T_REQUIRE(chdir("/") == 0);
  t_print_file("/hello");
  t_print_file("/old/file");
  T_CALL(umount2("/old", 0));  // our own cwd was left in it: fine after chdir
  t_print_file("/old/file");
  return 0;
}

int main(void) {
  // In the batch's own mount namespace (private on the host, shared with the test init on the
  // guests): every mount made here is undone before the program ends.
  t_wait(t_fork(Umount, NULL), "umount2");
  t_wait(t_fork(Pivot, NULL), "pivot_root");
  T_CALL(umount2("r", MNT_DETACH));  // the tmpfs that pivot_root put where "r" was
  T_CALL(umount2("r", 0));
  return 0;
}
