// dup/dup2/dup3 and F_DUPFD: lowest free fd, shared offset, FD_CLOEXEC not copied [man 2 dup].
#include "contract.h"

int main(void) {
  int fd = open("f", O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  T_CALL(fd);
  T_CALL(dup(fd));
  T_CALL(fcntl(4, F_GETFD));
  T_CALL(write(fd, "abc", 3));
  T_CALL(lseek(4, 0, SEEK_CUR));  // the offset is shared
  T_CALL(dup2(fd, 10));
  T_CALL(dup2(fd, fd));  // same fd: returns it
  T_CALL(dup2(999, 11));
  T_CALL(dup2(fd, -1));
  T_CALL(dup2(fd, 4096));  // beyond RLIMIT_NOFILE
  T_CALL(dup3(fd, fd, 0));
  T_CALL(dup3(fd, 12, O_CLOEXEC));
  T_CALL(fcntl(12, F_GETFD));
  T_CALL(dup3(fd, 13, O_NONBLOCK));
  T_CALL(close(4));
  T_CALL(dup(fd));  // reuses 4
  T_CALL(fcntl(fd, F_DUPFD, 7));
  T_CALL(fcntl(fd, F_DUPFD, 7));
  T_CALL(fcntl(fd, F_DUPFD_CLOEXEC, 0));
  T_CALL(fcntl(fd, F_DUPFD, -1));
  T_CALL(fcntl(fd, F_DUPFD, 5000));
  // dup2 onto an open fd closes it silently.
  int other = open("g", O_RDWR | O_CREAT, 0644);
  T_CALL(other);
  T_CALL(dup2(fd, other));
  T_CALL(lseek(other, 0, SEEK_CUR));
  T_CALL(dup(999));
  return 0;
}
