// A handler runs once per delivery; standard signals do not queue; signal(2) semantics
// are BSD (handler stays installed) [man 7 signal].
#include "contract.h"

static volatile int g_count;
static volatile int g_last;
static void Handler(int sig) {
  ++g_count;
  g_last = sig;
}

int main(void) {
  signal(SIGUSR1, Handler);
  T_CALL(raise(SIGUSR1));
  printf("count %d last %s\n", g_count, t_signame(g_last));
  T_CALL(raise(SIGUSR1));
  printf("count %d (handler stayed installed)\n", g_count);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigprocmask(SIG_BLOCK, &set, NULL);
  raise(SIGUSR1);
  raise(SIGUSR1);
  raise(SIGUSR1);
  printf("count while blocked: %d\n", g_count);
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  printf("count after unblock (one delivery for three raises): %d\n", g_count);
  signal(SIGUSR2, SIG_IGN);
  T_CALL(raise(SIGUSR2));
  struct sigaction old;
  sigaction(SIGUSR1, NULL, &old);
  printf("installed handler reads back: %s\n", old.sa_handler == Handler ? "true" : "false");
  printf("signal() sets SA_RESTART: %s\n", old.sa_flags & SA_RESTART ? "true" : "false");
  return 0;
}
