// setitimer/getitimer/alarm: ITIMER_REAL delivers SIGALRM, the old value comes back, and
// alarm(0) returns the seconds left (rounded up) [man 2 setitimer, man 2 alarm].
#include <sys/time.h>

#include "contract.h"

static volatile int g_alarms;
static void OnAlarm(int sig) {
  (void)sig;
  ++g_alarms;
}

int main(void) {
  signal(SIGALRM, OnAlarm);
  struct itimerval it = {{0, 20 * 1000}, {0, 20 * 1000}};
  T_CALL(setitimer(ITIMER_REAL, &it, NULL));
  while (g_alarms < 3) pause();
  printf("periodic timer fired at least 3 times\n");
  struct itimerval old;
  struct itimerval off = {{0, 0}, {0, 0}};
  T_CALL(setitimer(ITIMER_REAL, &off, &old));
  printf("old interval: %ld.%06ld\n", (long)old.it_interval.tv_sec, (long)old.it_interval.tv_usec);
  T_CALL(getitimer(ITIMER_REAL, &old));
  printf("disarmed value: %ld.%06ld\n", (long)old.it_value.tv_sec, (long)old.it_value.tv_usec);
  T_CALL(alarm(10));
  T_CALL(alarm(0));
  T_CALL(alarm(0));
  T_CALL(setitimer(99, &it, NULL));
  struct itimerval bad = {{0, 0}, {0, 1000000}};
  T_CALL(setitimer(ITIMER_REAL, &bad, NULL));
  T_CALL(getitimer(99, &old));
  struct itimerval virt = {{0, 0}, {0, 10000}};
  T_CALL(setitimer(ITIMER_VIRTUAL, &virt, NULL));
  signal(SIGVTALRM, OnAlarm);
  g_alarms = 0;
  for (volatile long i = 0; g_alarms == 0; ++i) {
  }
  printf("ITIMER_VIRTUAL fired after user-mode work\n");
  pid_t child = fork();
  if (child == 0) {
    struct itimerval c;
    getitimer(ITIMER_REAL, &c);
    alarm(5);
    printf("child: timers not inherited: %s\n",
           c.it_value.tv_sec == 0 && c.it_value.tv_usec == 0 ? "true" : "false");
    _exit(0);
  }
  alarm(100);
  t_wait(child, "child");
  return 0;
}
