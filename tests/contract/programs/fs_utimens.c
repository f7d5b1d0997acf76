// utimensat(2): explicit times, UTIME_OMIT, and errors [man 2 utimensat].
#include <time.h>

#include "contract.h"

static void Show(void) {
  struct stat st;
  stat("f", &st);
  printf("atime %lld.%09ld mtime %lld.%09ld\n", (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
         (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

int main(void) {
  t_make_file("f", "x");
  struct timespec ts[2] = {{1000000000, 123456789}, {1200000000, 5}};
  T_CALL(utimensat(AT_FDCWD, "f", ts, 0));
  Show();
  struct timespec omit[2] = {{0, UTIME_OMIT}, {1300000000, 0}};
  T_CALL(utimensat(AT_FDCWD, "f", omit, 0));
  Show();
  struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
  T_CALL(utimensat(AT_FDCWD, "f", bad, 0));
  T_CALL(utimensat(AT_FDCWD, "missing", ts, 0));
  T_CALL(utimensat(AT_FDCWD, "f", ts, 0x4000));
  int fd = open("f", O_RDONLY);
  struct timespec ts2[2] = {{1400000000, 0}, {1400000001, 0}};
  T_CALL(futimens(fd, ts2));
  Show();
  struct timespec now[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
  T_CALL(futimens(fd, now));
  struct stat st;
  stat("f", &st);
  printf("UTIME_NOW is recent: %s\n", st.st_mtim.tv_sec > 1600000000 ? "true" : "false");
  return 0;
}
