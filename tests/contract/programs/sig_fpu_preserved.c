// A handler that uses the SSE/x87 registers does not disturb the interrupted code: the
// kernel saves and restores the extended state around it [intel-sdm 1 §13].
#include <sys/time.h>

#include "contract.h"

static void Handler(int sig) {
  (void)sig;
  volatile double x = 1.0;
  for (int i = 0; i < 100; ++i) x = x * 1.5 + 0.25;
  __asm__ volatile("xorps %%xmm0, %%xmm0\n\txorps %%xmm1, %%xmm1\n\txorps %%xmm7, %%xmm7" ::
                       : "xmm0", "xmm1", "xmm7");
}

int main(void) {
  signal(SIGALRM, Handler);
  struct itimerval it = {{0, 1000}, {0, 1000}};
  setitimer(ITIMER_REAL, &it, NULL);
  double acc = 0;
  int wrong = 0;
  for (long i = 1; i <= 3000000; ++i) {
    double v = (double)i * 0.5;
    acc += v;
    if (v != (double)i / 2.0) ++wrong;
  }
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, NULL);
  printf("sum %.1f wrong %d\n", acc, wrong);
  raise(SIGALRM);
  double before = 3.25;
  __asm__ volatile("" : "+x"(before));
  raise(SIGALRM);
  __asm__ volatile("" : "+x"(before));
  printf("xmm value across a synchronous handler: %.2f\n", before);
  return 0;
}
