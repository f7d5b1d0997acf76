// MAP_SHARED|MAP_ANONYMOUS memory is shared across fork; MAP_PRIVATE is not.
#include <sys/mman.h>

#include "contract.h"

int main(void) {
  volatile int* shared =
      mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  volatile int* priv = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  shared[0] = 1;
  priv[0] = 1;
  pid_t child = fork();
  if (child == 0) {
    shared[0] = 2;
    priv[0] = 2;
    shared[1] = 1234;
    _exit(0);
  }
  t_wait(child, "child");
  printf("shared: %d %d, private: %d\n", shared[0], shared[1], priv[0]);
  // Shared memory from a file opened by both.
  int fd = open("shm", O_RDWR | O_CREAT, 0600);
  ftruncate(fd, 4096);
  volatile char* fmap = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  child = fork();
  if (child == 0) {
    int fd2 = open("shm", O_RDWR);
    volatile char* m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd2, 0);
    m[0] = 'Z';
    _exit(0);
  }
  t_wait(child, "file child");
  printf("file-shared: %c\n", fmap[0]);
  return 0;
}
