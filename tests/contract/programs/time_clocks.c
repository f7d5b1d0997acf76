// clock_gettime/clock_getres for every clock Linux has; monotonic never goes back; invalid
// clock ids are EINVAL [man 2 clock_gettime].
#include <time.h>

#include "contract.h"

int main(void) {
  static const struct {
    clockid_t id;
    const char* name;
  } clocks[] = {{CLOCK_REALTIME, "REALTIME"},
                {CLOCK_MONOTONIC, "MONOTONIC"},
                {CLOCK_PROCESS_CPUTIME_ID, "PROCESS_CPUTIME"},
                {CLOCK_THREAD_CPUTIME_ID, "THREAD_CPUTIME"},
                {CLOCK_MONOTONIC_RAW, "MONOTONIC_RAW"},
                {CLOCK_REALTIME_COARSE, "REALTIME_COARSE"},
                {CLOCK_MONOTONIC_COARSE, "MONOTONIC_COARSE"},
                {CLOCK_BOOTTIME, "BOOTTIME"},
                {CLOCK_TAI, "TAI"}};
  for (unsigned i = 0; i < sizeof(clocks) / sizeof(clocks[0]); ++i) {
    struct timespec ts, res;
    int a = clock_gettime(clocks[i].id, &ts);
    int b = clock_getres(clocks[i].id, &res);
    int coarse = clocks[i].id == CLOCK_REALTIME_COARSE || clocks[i].id == CLOCK_MONOTONIC_COARSE;
    printf("%s: gettime %s, getres %s, resolution %s\n", clocks[i].name,
           a == 0 ? "ok" : t_errname(errno), b == 0 ? "ok" : t_errname(errno),
           coarse ? (res.tv_nsec >= 1000000 ? "coarse" : "fine?")
                  : (res.tv_sec == 0 && res.tv_nsec == 1 ? "1ns" : "other"));
  }
  struct timespec ts;
  T_CALL(clock_gettime(99, &ts));
  T_CALL(clock_gettime(-1, &ts));
  T_CALL(clock_getres(99, &ts));
  T_CALL(clock_getres(CLOCK_MONOTONIC, NULL));
  struct timespec prev;
  clock_gettime(CLOCK_MONOTONIC, &prev);
  int backwards = 0;
  for (int i = 0; i < 10000; ++i) {
    clock_gettime(CLOCK_MONOTONIC, &ts);
    if (ts.tv_sec < prev.tv_sec || (ts.tv_sec == prev.tv_sec && ts.tv_nsec < prev.tv_nsec))
      ++backwards;
    prev = ts;
  }
  printf("monotonic went backwards %d times in 10000 reads\n", backwards);
  struct timespec mono, boot;
  clock_gettime(CLOCK_MONOTONIC, &mono);
  clock_gettime(CLOCK_BOOTTIME, &boot);
  printf("boottime >= monotonic: %s\n", boot.tv_sec >= mono.tv_sec ? "true" : "false");
  struct timespec rt;
  clock_gettime(CLOCK_REALTIME, &rt);
  printf("realtime after 2020: %s\n", rt.tv_sec > 1577836800 ? "true" : "false");
  printf("nsec in range: %s\n", rt.tv_nsec >= 0 && rt.tv_nsec < 1000000000 ? "true" : "false");
  T_CALL(clock_settime(CLOCK_MONOTONIC, &rt));
  return 0;
}
