// stat/fstat/lstat/fstatat: types, modes, sizes, link counts of files, directories, links
// and devices [man 2 stat].
#include <sys/sysmacros.h>

#include "contract.h"

static void Show(const char* what, int r, const struct stat* st) {
  if (r != 0) {
    printf("%s: %s\n", what, t_errname(errno));
    return;
  }
  const char* type = S_ISREG(st->st_mode)    ? "reg"
                     : S_ISDIR(st->st_mode)  ? "dir"
                     : S_ISLNK(st->st_mode)  ? "lnk"
                     : S_ISCHR(st->st_mode)  ? "chr"
                     : S_ISFIFO(st->st_mode) ? "fifo"
                     : S_ISSOCK(st->st_mode) ? "sock"
                                             : "?";
  printf("%s: %s perm %04o uid %d gid %d", what, type, (unsigned)(st->st_mode & 07777),
         (int)st->st_uid, (int)st->st_gid);
  if (!S_ISDIR(st->st_mode))
    printf(" size %lld nlink %lu", (long long)st->st_size, (unsigned long)st->st_nlink);
  if (S_ISCHR(st->st_mode)) printf(" rdev %u:%u", major(st->st_rdev), minor(st->st_rdev));
  printf("\n");
}

int main(void) {
  struct stat st, st2;
  t_make_file("file", "twelve bytes");
  mkdir("dir", 0750);
  symlink("file", "link");
  mkfifo("fifo", 0600);
  Show("stat file", stat("file", &st), &st);
  Show("stat dir", stat("dir", &st), &st);
  Show("stat link", stat("link", &st), &st);
  Show("lstat link", lstat("link", &st), &st);
  Show("lstat fifo", lstat("fifo", &st), &st);
  Show("stat /dev/null", stat("/dev/null", &st), &st);
  Show("stat /dev/zero", stat("/dev/zero", &st), &st);
  int fd = open("file", O_RDONLY);
  Show("fstat file", fstat(fd, &st), &st);
  stat("file", &st2);
  printf("fstat and stat agree on dev/ino: %s\n",
         st.st_dev == st2.st_dev && st.st_ino == st2.st_ino ? "true" : "false");
  int dirfd = open(".", O_RDONLY);
  Show("fstatat link nofollow", fstatat(dirfd, "link", &st, AT_SYMLINK_NOFOLLOW), &st);
  Show("fstatat empty path", fstatat(fd, "", &st, AT_EMPTY_PATH), &st);
  Show("fstatat empty path no flag", fstatat(fd, "", &st, 0), &st);
  Show("fstatat bad flag", fstatat(dirfd, "file", &st, 0x10000000), &st);
  Show("stat missing", stat("missing", &st), &st);
  Show("stat file/x", stat("file/x", &st), &st);
  Show("fstat bad fd", fstat(999, &st), &st);
  int fds[2];
  pipe(fds);
  Show("fstat pipe", fstat(fds[0], &st), &st);
  printf("pipe ends share an inode: %s\n",
         (fstat(fds[1], &st2), st.st_ino == st2.st_ino) ? "true" : "false");
  printf("link size is the target length: %lld\n", (lstat("link", &st), (long long)st.st_size));
  return 0;
}
