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
  struct itimerval it = {{0, 0}, {0, 300 * 1000}};
  setitimer(ITIMER_REAL, &it, NULL);
  struct timespec req = {5, 0}, rem = {0, 0};
  T_CALL(nanosleep(&req, &rem));
  printf("remaining between 4 and 5 s: %s\n", rem.tv_sec >= 4 && rem.tv_sec < 5 ? "true" : "false");
  // pause() cannot unblock atomically; a long enough timer makes the race harmless.
  setitimer(ITIMER_REAL, &it, NULL);
  T_CALL(pause());
  // sigsuspend can: block SIGALRM first, so it cannot arrive before the wait.
  sigset_t alrm, none;
  sigemptyset(&alrm);
  sigaddset(&alrm, SIGALRM);
  sigprocmask(SIG_BLOCK, &alrm, NULL);
  struct itimerval quick = {{0, 0}, {0, 20 * 1000}};
  setitimer(ITIMER_REAL, &quick, NULL);
  sigemptyset(&none);
  T_CALL(sigsuspend(&none));
  return 0;
}
