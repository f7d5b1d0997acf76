// Real-time signals queue with their values and are delivered lowest number first, in
// sending order; sigqueue sets si_code SI_QUEUE [man 7 signal "Real-time signals"].
#include "contract.h"

static int g_log[32][2];
static volatile int g_n;

static void Handler(int sig, siginfo_t* info, void* ctx) {
  (void)ctx;
  if (g_n < 32) {
    g_log[g_n][0] = sig;
    g_log[g_n][1] = info->si_value.sival_int;
    ++g_n;
  }
}

int main(void) {
  int lo = SIGRTMIN, hi = SIGRTMIN + 2;
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_sigaction = Handler;
  sa.sa_flags = SA_SIGINFO;
  sigfillset(&sa.sa_mask);
  sigaction(lo, &sa, NULL);
  sigaction(hi, &sa, NULL);
  sigaction(SIGUSR1, &sa, NULL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, lo);
  sigaddset(&set, hi);
  sigaddset(&set, SIGUSR1);
  sigprocmask(SIG_BLOCK, &set, NULL);
  for (int i = 1; i <= 3; ++i) {
    sigqueue(getpid(), hi, (union sigval){.sival_int = 100 + i});
    sigqueue(getpid(), lo, (union sigval){.sival_int = i});
  }
  sigqueue(getpid(), SIGUSR1, (union sigval){.sival_int = 7});
  sigqueue(getpid(), SIGUSR1, (union sigval){.sival_int = 8});
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  printf("deliveries: %d\n", g_n);
  for (int i = 0; i < g_n; ++i)
    printf("  %s value %d\n",
           g_log[i][0] == lo   ? "RTMIN"
           : g_log[i][0] == hi ? "RTMIN+2"
                               : t_signame(g_log[i][0]),
           g_log[i][1]);
  T_CALL(sigqueue(getpid(), 0, (union sigval){0}));
  T_CALL(sigqueue(0x3fffffff, SIGUSR1, (union sigval){0}));
  siginfo_t info;
  memset(&info, 0, sizeof(info));
  info.si_code = SI_USER;  // faking a kernel/user code for another process is refused
  T_CALL(syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, &info));
  info.si_code = SI_QUEUE;
  T_CALL(syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, &info));
  return 0;
}
