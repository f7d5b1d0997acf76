// sendfile(2) and copy_file_range(2) between files, offsets and errors [man 2 sendfile].
#include <sys/sendfile.h>

#include "contract.h"

int main(void) {
  t_make_file("src", "0123456789abcdef");
  int in = open("src", O_RDONLY);
  int out = open("dst", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  off_t off = 4;
  T_CALL(sendfile(out, in, &off, 6));
  printf("offset now %lld, file position %lld\n", (long long)off,
         (long long)lseek(in, 0, SEEK_CUR));
  T_CALL(sendfile(out, in, NULL, 3));
  printf("file position %lld\n", (long long)lseek(in, 0, SEEK_CUR));
  char buf[32] = {0};
  int check = open("dst", O_RDONLY);
  long n = read(check, buf, sizeof(buf));
  t_print_bytes("dst", buf, n);
  T_CALL(sendfile(in, out, NULL, 3));  // in is read-only as output
  T_CALL(sendfile(out, 999, NULL, 3));
  off_t neg = -1;
  T_CALL(sendfile(out, in, &neg, 3));
  int fds[2];
  pipe(fds);
  T_CALL(sendfile(fds[1], in, NULL, 4));  // file -> pipe
  n = read(fds[0], buf, sizeof(buf));
  t_print_bytes("through pipe", buf, n);
  off_t a = 0;
  off_t b = 0;
  int out2 = open("dst2", O_RDWR | O_CREAT | O_TRUNC, 0644);
  T_CALL(copy_file_range(in, &a, out2, &b, 5, 0));
  T_CALL(copy_file_range(in, &a, out2, &b, 5, 1));
  T_CALL(pread(out2, buf, 10, 0));
  t_print_bytes("dst2", buf, 5);
  return 0;
}
