// copy_file_range(2) and sendfile(2) between tmpfs files: offsets by pointer or by file
// position, counts past the end of file, overlap within one file, and the errors
// [man 2 copy_file_range, man 2 sendfile].
#include <sys/sendfile.h>

#include "contract.h"

static void Show(const char* path) {
  char buf[64];
  int fd = open(path, O_RDONLY);
  long n = read(fd, buf, sizeof(buf));
  t_print_bytes(path, buf, n);
  close(fd);
}

static long Pos(int fd) { return (long)lseek(fd, 0, SEEK_CUR); }

int main(void) {
  t_make_file("src", "0123456789");
  int in = open("src", O_RDONLY);
  int out = open("dst", O_RDWR | O_CREAT | O_TRUNC, 0644);
  T_REQUIRE(in >= 0 && out >= 0);

  // File positions: both advance.
  T_CALL(copy_file_range(in, NULL, out, NULL, 4, 0));
  printf("positions %ld %ld\n", Pos(in), Pos(out));
  // Pointers: they advance, the file positions do not.
  loff_t a = 6, b = 10;
  T_CALL(copy_file_range(in, &a, out, &b, 2, 0));
  printf("pointers %lld %lld, positions %ld %ld\n", (long long)a, (long long)b, Pos(in), Pos(out));
  Show("dst");
  // Counts past the end of the input: up to the end; at or past the end: 0.
  a = 7;
  b = 0;
  T_CALL(copy_file_range(in, &a, out, &b, 1000, 0));
  printf("pointers %lld %lld\n", (long long)a, (long long)b);
  a = 10;
  T_CALL(copy_file_range(in, &a, out, &b, 5, 0));
  a = 50;
  T_CALL(copy_file_range(in, &a, out, &b, 5, 0));
  printf("pointer %lld\n", (long long)a);
  T_CALL(copy_file_range(in, NULL, out, NULL, 0, 0));
  Show("dst");
  // Output past its end leaves a hole.
  a = 0;
  b = 20;
  T_CALL(copy_file_range(in, &a, out, &b, 2, 0));
  struct stat st;
  fstat(out, &st);
  printf("dst size %lld\n", (long long)st.st_size);

  // Within one file: disjoint ranges work, overlapping ones are EINVAL (after clamping to EOF).
  int same = open("same", O_RDWR | O_CREAT | O_TRUNC, 0644);
  write(same, "abcdefghij", 10);
  a = 0;
  b = 5;
  T_CALL(copy_file_range(same, &a, same, &b, 5, 0));
  Show("same");
  a = 0;
  b = 2;
  T_CALL(copy_file_range(same, &a, same, &b, 4, 0));
  a = 2;
  b = 0;
  T_CALL(copy_file_range(same, &a, same, &b, 4, 0));
  a = 8;
  b = 0;
  T_CALL(copy_file_range(same, &a, same, &b, 100, 0));  // clamped to 2: no overlap
  a = 8;
  b = 9;
  T_CALL(copy_file_range(same, &a, same, &b, 100, 0));  // clamped to 2: overlaps
  Show("same");

  // Errors.
  int wronly = open("src", O_WRONLY);
  int rdonly = open("dst", O_RDONLY);
  int append = open("dst", O_WRONLY | O_APPEND);
  int dir = open(".", O_RDONLY | O_DIRECTORY);
  int fds[2];
  T_REQUIRE(pipe(fds) == 0);
  T_CALL(copy_file_range(in, NULL, out, NULL, 1, 1));  // flags
  T_CALL(copy_file_range(wronly, NULL, out, NULL, 1, 0));
  T_CALL(copy_file_range(in, NULL, rdonly, NULL, 1, 0));
  T_CALL(copy_file_range(in, NULL, append, NULL, 1, 0));
  T_CALL(copy_file_range(dir, NULL, out, NULL, 1, 0));
  T_CALL(copy_file_range(in, NULL, dir, NULL, 1, 0));
  T_CALL(copy_file_range(fds[0], NULL, out, NULL, 1, 0));
  T_CALL(copy_file_range(in, NULL, fds[1], NULL, 1, 0));
  T_CALL(copy_file_range(999, NULL, out, NULL, 1, 0));
  T_CALL(copy_file_range(in, NULL, 999, NULL, 1, 0));
  a = -1;
  T_CALL(copy_file_range(in, &a, out, NULL, 1, 0));
  b = -1;
  T_CALL(copy_file_range(in, NULL, out, &b, 1, 0));
  T_CALL(copy_file_range(in, T_BAD_PTR, out, NULL, 1, 0));
  T_CALL(copy_file_range(in, NULL, out, T_BAD_PTR, 1, 0));

  // sendfile: offsets, counts past the end, and the same errors.
  int s = open("sent", O_RDWR | O_CREAT | O_TRUNC, 0644);
  off_t off = 8;
  T_CALL(sendfile(s, in, &off, 100));
  printf("offset %lld, in position %ld\n", (long long)off, Pos(in));
  T_CALL(sendfile(s, in, &off, 100));
  off = 1000;
  T_CALL(sendfile(s, in, &off, 5));
  lseek(in, 0, SEEK_SET);
  T_CALL(sendfile(s, in, NULL, 3));
  printf("in position %ld, out position %ld\n", Pos(in), Pos(s));
  T_CALL(sendfile(s, in, NULL, 0));
  Show("sent");
  T_CALL(sendfile(append, in, NULL, 1));
  T_CALL(sendfile(s, dir, NULL, 1));
  T_CALL(sendfile(dir, in, NULL, 1));
  T_CALL(sendfile(s, wronly, NULL, 1));
  T_CALL(sendfile(s, in, T_BAD_PTR, 1));
  T_CALL(sendfile(s, s, NULL, 1));  // at its own end: nothing to send
  off = 0;
  T_CALL(sendfile(s, s, &off, 2));  // its own start, appended at its position
  Show("sent");
  T_CALL(sendfile(fds[1], in, NULL, 4));
  char buf[8];
  long n = read(fds[0], buf, sizeof(buf));
  t_print_bytes("pipe", buf, n);
  return 0;
}
