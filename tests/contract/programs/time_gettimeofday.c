// gettimeofday/time agree with CLOCK_REALTIME; settimeofday needs privilege [man 2 gettimeofday].
#include <sys/time.h>
#include <time.h>

#include "contract.h"

int main(void) {
  struct timeval tv;
  T_CALL(gettimeofday(&tv, NULL));
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  long long diff = (long long)ts.tv_sec - tv.tv_sec;
  printf("gettimeofday within 1 s of CLOCK_REALTIME: %s\n",
         diff >= 0 && diff <= 1 ? "true" : "false");
  printf("usec in range: %s\n", tv.tv_usec >= 0 && tv.tv_usec < 1000000 ? "true" : "false");
  time_t t = time(NULL);
  printf("time() within 1 s: %s\n", t - ts.tv_sec >= 0 && t - ts.tv_sec <= 1 ? "true" : "false");
  time_t t2;
  long r = syscall(SYS_time, &t2);
  printf("raw time() stores and returns the same: %s\n", r == t2 ? "true" : "false");
  struct timezone tz;
  T_CALL(syscall(SYS_gettimeofday, &tv, &tz));
  T_CALL(syscall(SYS_gettimeofday, T_BAD_PTR, NULL));
  pid_t child = fork();
  if (child == 0) {
    setuid(1000);
    printf("unprivileged settimeofday: %s\n",
           settimeofday(&tv, NULL) < 0 ? t_errname(errno) : "ok");
    printf("unprivileged clock_settime: %s\n",
           clock_settime(CLOCK_REALTIME, &ts) < 0 ? t_errname(errno) : "ok");
    _exit(0);
  }
  t_wait(child, "child");
  struct timeval badtv = {0, 2000000};
  T_CALL(settimeofday(&badtv, NULL));
  return 0;
}
