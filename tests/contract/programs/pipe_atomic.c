// Writes of at most PIPE_BUF bytes from several writers never interleave [man 7 pipe].
#include <limits.h>

#include "contract.h"

int main(void) {
  int fds[2];
  pipe(fds);
  for (int w = 0; w < 3; ++w) {
    if (fork() == 0) {
      close(fds[0]);
      char block[PIPE_BUF];
      memset(block, 'a' + w, sizeof(block));
      for (int i = 0; i < 40; ++i) t_write_all(fds[1], block, sizeof(block));
      _exit(0);
    }
  }
  close(fds[1]);
  char block[PIPE_BUF];
  int blocks = 0, torn = 0, counts[3] = {0, 0, 0};
  while (t_read_all(fds[0], block, sizeof(block)) == 0) {
    ++blocks;
    for (int i = 1; i < PIPE_BUF; ++i) {
      if (block[i] != block[0]) {
        ++torn;
        break;
      }
    }
    if (block[0] >= 'a' && block[0] <= 'c') ++counts[block[0] - 'a'];
  }
  printf("blocks %d torn %d per writer %d %d %d\n", blocks, torn, counts[0], counts[1], counts[2]);
  for (int w = 0; w < 3; ++w) wait(NULL);
  return 0;
}
