// nanosleep/clock_nanosleep sleep at least as asked; bad timespecs are EINVAL; an absolute
// deadline in the past returns at once [man 2 nanosleep, man 2 clock_nanosleep].
#include <time.h>

#include "contract.h"

static long long NowNs(clockid_t c) {
  struct timespec ts;
  clock_gettime(c, &ts);
  return (long long)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int main(void) {
  long long t0 = NowNs(CLOCK_MONOTONIC);
  struct timespec d = {0, 30 * 1000 * 1000};
  T_CALL(nanosleep(&d, NULL));
  long long slept = NowNs(CLOCK_MONOTONIC) - t0;
  printf("slept at least 30ms: %s\n", slept >= 30000000 ? "true" : "false");
  struct timespec bad = {0, 1000000000};
  T_CALL(nanosleep(&bad, NULL));
  struct timespec neg = {-1, 0};
  T_CALL(nanosleep(&neg, NULL));
  struct timespec negns = {0, -1};
  T_CALL(nanosleep(&negns, NULL));
  struct timespec zero = {0, 0};
  T_CALL(nanosleep(&zero, NULL));
  T_CALL(syscall(SYS_nanosleep, T_BAD_PTR, NULL));
  // One nanosecond after boot is in the past on every kernel, however recently it booted
  // (now - 1 s would be negative, EINVAL, on hostsim's virtual clock that starts at 0).
  struct timespec past = {0, 1};
  // clock_nanosleep returns the error number instead of setting errno.
  printf("abstime in the past: %d\n", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL));
  struct timespec soon;
  clock_gettime(CLOCK_MONOTONIC, &soon);
  soon.tv_nsec += 20 * 1000 * 1000;
  if (soon.tv_nsec >= 1000000000) {
    soon.tv_nsec -= 1000000000;
    soon.tv_sec += 1;
  }
  printf("abstime 20ms ahead: %d\n", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &soon, NULL));
  long long after = NowNs(CLOCK_MONOTONIC);
  printf("woke after the deadline: %s\n",
         after >= (long long)soon.tv_sec * 1000000000 + soon.tv_nsec ? "true" : "false");
  printf("bad clock: %d\n", clock_nanosleep(99, 0, &d, NULL));
  printf("bad flags: %d\n", clock_nanosleep(CLOCK_MONOTONIC, 0x100, &zero, NULL));
  printf("thread cputime clock: %d\n", clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &zero, NULL));
  printf("realtime relative: %d\n", clock_nanosleep(CLOCK_REALTIME, 0, &zero, NULL));
  return 0;
}
