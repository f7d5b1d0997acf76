// fcntl(2) F_GETFD/F_SETFD/F_GETFL/F_SETFL: which status flags can change [man 2 fcntl].
#include "contract.h"

int main(void) {
  int fd = open("f", O_RDWR | O_CREAT | O_APPEND, 0644);
  int fl = fcntl(fd, F_GETFL);
  printf("flags: accmode %d append %d nonblock %d\n", fl & O_ACCMODE, !!(fl & O_APPEND),
         !!(fl & O_NONBLOCK));
  T_CALL(fcntl(fd, F_SETFL, O_NONBLOCK | O_RDONLY));  // access mode cannot change
  fl = fcntl(fd, F_GETFL);
  printf("flags: accmode %d append %d nonblock %d\n", fl & O_ACCMODE, !!(fl & O_APPEND),
         !!(fl & O_NONBLOCK));
  T_CALL(fcntl(fd, F_GETFD));
  T_CALL(fcntl(fd, F_SETFD, FD_CLOEXEC));
  T_CALL(fcntl(fd, F_GETFD));
  T_CALL(fcntl(fd, F_SETFD, 0xff));
  T_CALL(fcntl(fd, F_GETFD));
  T_CALL(fcntl(fd, 9999));
  T_CALL(fcntl(999, F_GETFD));
  T_CALL(fcntl(fd, F_GETOWN));
  int fds[2];
  pipe(fds);
  T_CALL(fcntl(fds[0], F_GETPIPE_SZ));
  T_CALL(fcntl(fd, F_GETPIPE_SZ));
  // O_PATH descriptors: only a few operations.
  int path = open("f", O_PATH);
  char c;
  T_CALL(read(path, &c, 1));
  T_CALL(fcntl(path, F_GETFL) == (O_PATH | O_LARGEFILE) || fcntl(path, F_GETFL) == O_PATH);
  struct stat st;
  T_CALL(fstat(path, &st));
  return 0;
}
