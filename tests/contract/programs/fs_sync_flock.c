// fsync/fdatasync/sync and flock(2) between processes [man 2 fsync, man 2 flock].
#include <sys/file.h>

#include "contract.h"

int main(void) {
  int fd = open("f", O_RDWR | O_CREAT, 0644);
  write(fd, "x", 1);
  T_CALL(fsync(fd));
  T_CALL(fdatasync(fd));
  T_CALL(syncfs(fd));
  sync();
  int fds[2];
  pipe(fds);
  T_CALL(fsync(fds[0]));
  T_CALL(fsync(999));
  T_CALL(flock(fd, LOCK_EX));
  T_CALL(flock(fd, LOCK_EX));  // converting one's own lock is fine
  pid_t child = fork();
  if (child == 0) {
    int fd2 = open("f", O_RDWR);
    printf("child: exclusive while parent holds it: %s\n",
           flock(fd2, LOCK_EX | LOCK_NB) < 0 ? t_errname(errno) : "ok");
    printf("child: shared while parent holds exclusive: %s\n",
           flock(fd2, LOCK_SH | LOCK_NB) < 0 ? t_errname(errno) : "ok");
    printf("child: inherited fd shares the parent's lock: %s\n",
           flock(fd, LOCK_EX | LOCK_NB) < 0 ? t_errname(errno) : "ok");
    _exit(0);
  }
  t_wait(child, "child");
  T_CALL(flock(fd, LOCK_UN));
  T_CALL(flock(fd, LOCK_SH));
  child = fork();
  if (child == 0) {
    int fd2 = open("f", O_RDWR);
    printf("child: shared with parent's shared: %s\n",
           flock(fd2, LOCK_SH | LOCK_NB) < 0 ? t_errname(errno) : "ok");
    _exit(0);
  }
  t_wait(child, "child2");
  T_CALL(flock(fd, 99));
  T_CALL(flock(999, LOCK_SH));
  return 0;
}
