// File mappings: private copies do not reach the file, shared writes do, and the tail of the
// last page reads as zeros [man 2 mmap].
#include <sys/mman.h>

#include "contract.h"

int main(void) {
  t_make_file("data", "hello, mapped world");
  int fd = open("data", O_RDWR);
  char* priv = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  char* shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  T_TRUE(priv != MAP_FAILED && shared != MAP_FAILED);
  t_print_bytes("private", priv, 19);
  T_CALL(priv[19] | priv[100] | priv[4095]);  // zeros past EOF in the last page
  priv[0] = 'J';
  shared[7] = 'M';
  char buf[32] = {0};
  pread(fd, buf, 19, 0);
  t_print_bytes("file after writes", buf, 19);
  t_print_bytes("private sees", priv, 19);  // its own copy: 'J', and 'M' is ... see below
  t_print_bytes("shared sees", shared, 19);
  // write(2) to the file shows through the shared mapping and through the private mapping's
  // pages that were never written (page 0 was written, so it is a private copy now).
  pwrite(fd, "W", 1, 1);
  printf("shared[1] after pwrite: %c\n", shared[1]);
  printf("private[1] after pwrite: %c\n", priv[1]);
  T_CALL(msync(shared, 4096, MS_SYNC));
  T_CALL(msync(shared + 1, 4096, MS_SYNC));
  T_CALL(msync(shared, 4096, MS_SYNC | MS_ASYNC));
  T_CALL(munmap(priv, 4096));
  T_CALL(munmap(shared, 4096));
  // A mapping keeps the file alive after close and unlink.
  char* keep = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
  close(fd);
  unlink("data");
  t_print_bytes("after close+unlink", keep, 19);
  // Offset mapping: the second page of a two-page file.
  int fd2 = open("two", O_RDWR | O_CREAT, 0644);
  ftruncate(fd2, 8192);
  pwrite(fd2, "second", 6, 4096);
  char* second = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd2, 4096);
  t_print_bytes("offset 4096", second, 6);
  return 0;
}
