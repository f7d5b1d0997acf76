// POSIX record locks: F_SETLK conflicts, F_GETLK reports the holder's range and type
// [man 2 fcntl "Advisory record locking"].
#include "contract.h"

static void Lock(int fd, short type, off_t start, off_t len, const char* what) {
  struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
  printf("%s: %s\n", what, fcntl(fd, F_SETLK, &fl) < 0 ? t_errname(errno) : "ok");
}

int main(void) {
  int fd = open("f", O_RDWR | O_CREAT, 0644);
  ftruncate(fd, 100);
  Lock(fd, F_WRLCK, 10, 20, "parent write-lock 10..29");
  Lock(fd, F_RDLCK, 50, 0, "parent read-lock 50..EOF");
  int go[2], done[2];
  pipe(go);
  pipe(done);
  pid_t child = fork();
  if (child == 0) {
    int fd2 = open("f", O_RDWR);
    Lock(fd2, F_WRLCK, 0, 10, "child write 0..9");
    Lock(fd2, F_WRLCK, 5, 10, "child write 5..14");
    Lock(fd2, F_RDLCK, 60, 5, "child read 60..64");
    Lock(fd2, F_WRLCK, 60, 5, "child write 60..64");
    struct flock q = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    fcntl(fd2, F_GETLK, &q);
    printf("child F_GETLK whole file: type %s start %lld len %lld pid is parent %s\n",
           q.l_type == F_WRLCK   ? "WR"
           : q.l_type == F_RDLCK ? "RD"
                                 : "UN",
           (long long)q.l_start, (long long)q.l_len, q.l_pid == getppid() ? "true" : "false");
    write(done[1], "x", 1);
    _exit(0);
  }
  char c;
  read(done[0], &c, 1);
  t_wait(child, "child");
  struct flock bad = {.l_type = 99, .l_whence = SEEK_SET};
  T_CALL(fcntl(fd, F_SETLK, &bad));
  struct flock neg = {.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = -5, .l_len = 1};
  T_CALL(fcntl(fd, F_SETLK, &neg));
  int ro = open("f", O_RDONLY);
  struct flock wr = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
  T_CALL(fcntl(ro, F_SETLK, &wr));
  return 0;
}
