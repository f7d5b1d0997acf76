// truncate/ftruncate grow with zeros and shrink; errors [man 2 truncate].
#include "contract.h"

static long long Size(const char* path) {
  struct stat st;
  return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

int main(void) {
  t_make_file("f", "0123456789");
  T_CALL(truncate("f", 4));
  printf("size %lld\n", Size("f"));
  T_CALL(truncate("f", 8));
  char buf[16];
  int fd = open("f", O_RDWR);
  T_CALL(read(fd, buf, 16));
  t_print_bytes("grown", buf, 8);
  T_CALL(ftruncate(fd, 0));
  T_CALL(lseek(fd, 0, SEEK_CUR));  // the offset is not moved
  T_CALL(write(fd, "x", 1));
  printf("size %lld\n", Size("f"));
  T_CALL(ftruncate(fd, -1));
  T_CALL(truncate("f", -1));
  mkdir("d", 0755);
  T_CALL(truncate("d", 0));
  T_CALL(truncate("missing", 0));
  int ro = open("f", O_RDONLY);
  T_CALL(ftruncate(ro, 0));
  int fds[2];
  pipe(fds);
  T_CALL(ftruncate(fds[1], 0));
  T_CALL(ftruncate(999, 0));
  T_CALL(ftruncate(fd, 1LL << 40));  // sparse: 1 TiB
  printf("size %lld\n", Size("f"));
  return 0;
}
