// System calls given bad user buffers return EFAULT and never crash [man 2 read, write, ...].
#include <sys/mman.h>
#include <sys/uio.h>
#include <time.h>

#include "contract.h"

int main(void) {
  int fds[2];
  pipe(fds);
  T_CALL(write(fds[1], T_BAD_PTR, 10));
  write(fds[1], "0123456789", 10);
  T_CALL(read(fds[0], T_BAD_PTR, 10));
  char* ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  T_CALL(read(fds[0], ro, 10));  // read into read-only memory
  T_CALL(read(fds[0], (char*)0xffff800000000000ull, 1));
  // A buffer whose second half is unmapped.
  char* two = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  munmap(two + 4096, 4096);
  T_CALL(write(fds[1], two + 4090, 12));  // 6 good bytes, then a hole: partial write
  // Raw system calls: the libc wrappers may touch the buffers themselves.
  T_CALL(syscall(SYS_stat, T_BAD_PTR, T_BAD_PTR));
  struct stat st;
  T_CALL(syscall(SYS_stat, ".", T_BAD_PTR));
  T_CALL(syscall(SYS_fstat, 0, ro));
  T_CALL(syscall(SYS_open, T_BAD_PTR, O_RDONLY));
  T_CALL(syscall(SYS_pipe, T_BAD_PTR));
  T_CALL(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, T_BAD_PTR));
  struct iovec iov[2] = {{T_BAD_PTR, 4}, {&st, 4}};
  T_CALL(syscall(SYS_writev, fds[1], iov, 2));
  T_CALL(syscall(SYS_writev, fds[1], T_BAD_PTR, 2));
  T_CALL(syscall(SYS_uname, T_BAD_PTR));
  T_CALL(syscall(SYS_getcwd, ro, 100));
  return 0;
}
