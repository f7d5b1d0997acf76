// A signal interrupts nanosleep with EINTR and the remaining time is written back; with
// SA_RESTART it is still EINTR (nanosleep is never restarted) [man 7 signal].
#include <sys/time.h>
#include <time.h>
#include "contract.h"

static void OnAlarm(int sig) { (void)sig; }

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = OnAlarm;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGALRM, &sa, NULL);
  struct itimerval it = {{0, 0}, {0, 50 * 1000}};
  setitimer(ITIMER_REAL, &it, NULL);
  struct timespec req = {5, 0}, rem = {0, 0};
  T_CALL(nanosleep(&req, &rem));
  printf("remaining between 4 and 5 s: %s\n", rem.tv_sec >= 4 && rem.tv_sec < 5 ? "true" : "false");
  setitimer(ITIMER_REAL, &it, NULL);
  T_CALL(pause());
  setitimer(ITIMER_REAL, &it, NULL);
  sigset_t none;
  sigemptyset(&none);
  T_CALL(sigsuspend(&none));
  return 0;
}
