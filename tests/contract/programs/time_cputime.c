// CPU-time clocks advance with work done; getrusage and times report it; a child's time
// is added on wait [man 2 getrusage, man 2 times].
#include <sys/resource.h>
#include <sys/times.h>
#include <time.h>

#include "contract.h"

int main(void) {
  struct timespec a, b;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
  t_burn_cpu_ms(30);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
  printf("process cputime advanced by >= 30ms: %s\n",
         (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec) >= 30000000 ? "true"
                                                                                    : "false");
  struct rusage ru;
  T_CALL(getrusage(RUSAGE_SELF, &ru));
  printf("ru_utime+ru_stime > 0: %s\n",
         ru.ru_utime.tv_sec + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec > 0
             ? "true"
             : "false");
  T_CALL(getrusage(RUSAGE_CHILDREN, &ru));
  printf("children before any: %ld.%06ld\n", (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec);
  pid_t child = fork();
  if (child == 0) {
    t_burn_cpu_ms(30);
    _exit(0);
  }
  t_wait(child, "child");
  getrusage(RUSAGE_CHILDREN, &ru);
  printf("children after a busy child: nonzero %s\n",
         ru.ru_utime.tv_sec + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec > 0
             ? "true"
             : "false");
  T_CALL(getrusage(99, &ru));
  struct tms t;
  clock_t c = times(&t);
  printf("times() returned a value: %s\n", c != (clock_t)-1 ? "true" : "false");
  T_CALL(sysconf(_SC_CLK_TCK));
  clockid_t cid;
  T_CALL(clock_getcpuclockid(0, &cid));
  return 0;
}
