// lseek(2) SEEK_DATA/SEEK_HOLE on sparse tmpfs files, exactly as Linux's shmem answers: a page
// that was ever written is data, everything else is a hole, and the end of file is a hole
// [man 2 lseek, mm/shmem.c shmem_file_llseek].
#include "contract.h"

#ifndef SEEK_DATA
#define SEEK_DATA 3
#define SEEK_HOLE 4
#endif

static void Seek(int fd, off_t off, int whence) {
  errno = 0;
  off_t r = lseek(fd, off, whence);
  if (r < 0) {
    printf("%s %lld: -1 %s\n", whence == SEEK_DATA ? "SEEK_DATA" : "SEEK_HOLE", (long long)off,
           t_errname(errno));
  } else {
    printf("%s %lld: %lld\n", whence == SEEK_DATA ? "SEEK_DATA" : "SEEK_HOLE", (long long)off,
           (long long)r);
  }
}

static void Map(int fd, const char* what) {
  printf("-- %s (size %lld)\n", what, (long long)lseek(fd, 0, SEEK_END));
  static const off_t offsets[] = {0,     1,     4095,  4096,  4097,  8191,  8192,  8200,
                                  12287, 12288, 16384, 20000, 20479, 20480, 65536, -1};
  for (unsigned i = 0; i < sizeof(offsets) / sizeof(offsets[0]); ++i) {
    Seek(fd, offsets[i], SEEK_DATA);
    Seek(fd, offsets[i], SEEK_HOLE);
  }
}

int main(void) {
  int fd = open("sparse", O_RDWR | O_CREAT | O_TRUNC, 0644);
  T_REQUIRE(fd >= 0);
  Map(fd, "empty");
  T_CALL(ftruncate(fd, 20480));
  Map(fd, "truncated up, all hole");
  T_CALL(pwrite(fd, "x", 1, 8200));  // page 2 only
  Map(fd, "one byte in page 2");
  T_CALL(pwrite(fd, "\0\0\0\0", 4, 16380));  // zeros written are data: page 3 and 4
  Map(fd, "zeros written across pages 3-4");
  T_CALL(pwrite(fd, "tail", 4, 20476));
  T_CALL(ftruncate(fd, 10000));  // drops pages 3 and 4, keeps page 2
  Map(fd, "truncated down to 10000");
  T_CALL(pwrite(fd, "far", 3, 65536 + 100));
  Map(fd, "write far past the end");

  // The position moves to the answer, and not on an error.
  T_CALL(lseek(fd, 0, SEEK_SET));
  T_CALL(lseek(fd, 9000, SEEK_DATA));
  T_CALL(lseek(fd, 0, SEEK_CUR));
  T_CALL(lseek(fd, 1 << 20, SEEK_DATA));
  T_CALL(lseek(fd, 0, SEEK_CUR));
  T_CALL(lseek(fd, 0, 5));  // no such whence

  // Other kinds of file.
  int dir = open(".", O_RDONLY | O_DIRECTORY);
  T_CALL(lseek(dir, 0, SEEK_DATA));
  T_CALL(lseek(dir, 0, SEEK_HOLE));
  int fds[2];
  T_REQUIRE(pipe(fds) == 0);
  T_CALL(lseek(fds[0], 0, SEEK_DATA));
  int dense = open("dense", O_RDWR | O_CREAT | O_TRUNC, 0644);
  char page[5000];
  memset(page, 'd', sizeof(page));
  write(dense, page, sizeof(page));
  Seek(dense, 0, SEEK_DATA);
  Seek(dense, 0, SEEK_HOLE);
  Seek(dense, 4999, SEEK_HOLE);
  Seek(dense, 5000, SEEK_HOLE);
  return 0;
}
