// 4 MiB through a pipe between processes in odd-sized chunks, checked with a checksum;
// writes larger than the pipe block until the reader drains it.
#include "contract.h"

int main(void) {
  int fds[2];
  pipe(fds);
  const size_t total = 4 << 20;
  pid_t child = fork();
  if (child == 0) {
    close(fds[0]);
    char* buf = malloc(total);
    for (size_t i = 0; i < total; ++i) buf[i] = (char)(i * 7 + i / 4096);
    size_t off = 0, chunk = 1;
    while (off < total) {
      size_t n = chunk < total - off ? chunk : total - off;
      if (t_write_all(fds[1], buf + off, n) != 0) _exit(1);
      off += n;
      chunk = chunk * 3 + 1;
      if (chunk > 300000) chunk = 7;
    }
    _exit(0);
  }
  close(fds[1]);
  unsigned long sum = 0, count = 0;
  size_t index = 0;
  int mismatches = 0;
  char buf[3001];
  long n;
  while ((n = read(fds[0], buf, sizeof(buf))) > 0) {
    for (long i = 0; i < n; ++i, ++index) {
      if (buf[i] != (char)(index * 7 + index / 4096)) ++mismatches;
      sum = sum * 31 + (unsigned char)buf[i];
    }
    count += n;
  }
  printf("received %lu bytes, %d mismatches, checksum %lx\n", count, mismatches, sum);
  t_wait(child, "writer");
  return 0;
}
