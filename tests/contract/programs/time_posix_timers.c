// POSIX timers: timer_create with SIGEV_SIGNAL, si_code SI_TIMER and si_value, overruns,
// timer_gettime on a disarmed timer, bad ids [man 2 timer_create].
#include <time.h>

#include "contract.h"

static volatile int g_fired, g_code, g_value;
static void OnTimer(int sig, siginfo_t* info, void* ctx) {
  (void)sig;
  (void)ctx;
  ++g_fired;
  g_code = info->si_code;
  g_value = info->si_value.sival_int;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_sigaction = OnTimer;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR1, &sa, NULL);
  struct sigevent ev;
  memset(&ev, 0, sizeof(ev));
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = SIGUSR1;
  ev.sigev_value.sival_int = 77;
  timer_t timer;
  T_CALL(timer_create(CLOCK_MONOTONIC, &ev, &timer));
  struct itimerspec spec = {{0, 0}, {0, 20 * 1000 * 1000}};
  sigset_t usr1, old;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  sigprocmask(SIG_BLOCK, &usr1, &old);  // so that it cannot fire before we wait
  T_CALL(timer_settime(timer, 0, &spec, NULL));
  while (!g_fired) sigsuspend(&old);
  sigprocmask(SIG_SETMASK, &old, NULL);
  printf("fired: code %s value %d\n", g_code == SI_TIMER ? "SI_TIMER" : "other", g_value);
  struct itimerspec cur;
  T_CALL(timer_gettime(timer, &cur));
  printf("after a one-shot: %ld.%09ld\n", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec);
  T_CALL(timer_getoverrun(timer));
  struct itimerspec bad = {{0, 0}, {0, 1000000000}};
  T_CALL(timer_settime(timer, 0, &bad, NULL));
  T_CALL(timer_delete(timer));
  T_CALL(syscall(SYS_timer_delete, 12345));
  T_CALL(syscall(SYS_timer_gettime, 12345, &cur));
  timer_t t2;
  T_CALL(timer_create(99, &ev, &t2));
  ev.sigev_signo = 200;
  T_CALL(timer_create(CLOCK_MONOTONIC, &ev, &t2));
  ev.sigev_notify = 99;
  ev.sigev_signo = SIGUSR1;
  T_CALL(timer_create(CLOCK_MONOTONIC, &ev, &t2));
  return 0;
}
