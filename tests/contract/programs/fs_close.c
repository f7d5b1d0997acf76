// close(2): EBADF on closed or invalid fds; close_range(2) closes a range [man 2 close_range].
#include "contract.h"

int main(void) {
  int fd = open("f", O_RDWR | O_CREAT, 0644);
  T_CALL(close(fd));
  T_CALL(close(fd));
  T_CALL(close(-1));
  T_CALL(close(100000));
  for (int i = 0; i < 5; ++i) open("f", O_RDONLY);  // 3..7
  T_CALL(syscall(SYS_close_range, 4, 6, 0));
  T_CALL(fcntl(3, F_GETFD));
  T_CALL(fcntl(4, F_GETFD));
  T_CALL(fcntl(6, F_GETFD));
  T_CALL(fcntl(7, F_GETFD));
  T_CALL(syscall(SYS_close_range, 7, 3, 0));  // first > last
  T_CALL(syscall(SYS_close_range, 3, ~0u, 4 /* CLOSE_RANGE_CLOEXEC */));
  T_CALL(fcntl(3, F_GETFD));
  T_CALL(syscall(SYS_close_range, 3, ~0u, 0x80));
  T_CALL(syscall(SYS_close_range, 3, ~0u, 0));
  T_CALL(fcntl(7, F_GETFD));
  return 0;
}
