// SA_RESETHAND resets to SIG_DFL on entry; SA_NODEFER lets the signal nest; without it the
// signal and sa_mask are blocked in the handler and unblocked after [man 2 sigaction].
#include "contract.h"

static volatile int g_depth, g_max_depth, g_calls;
static void Nesting(int sig) {
  ++g_calls;
  ++g_depth;
  if (g_depth > g_max_depth) g_max_depth = g_depth;
  if (g_calls < 3) raise(sig);
  --g_depth;
}

static void Masked(int sig) {
  (void)sig;
  sigset_t cur;
  sigprocmask(SIG_BLOCK, NULL, &cur);
  printf("in handler: USR1 blocked %d, USR2 blocked %d, TERM blocked %d\n",
         sigismember(&cur, SIGUSR1), sigismember(&cur, SIGUSR2), sigismember(&cur, SIGTERM));
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = Nesting;
  sa.sa_flags = SA_NODEFER;
  sigaction(SIGUSR1, &sa, NULL);
  raise(SIGUSR1);
  printf("NODEFER: calls %d max depth %d\n", g_calls, g_max_depth);
  g_calls = g_max_depth = 0;
  sa.sa_flags = 0;
  sigaction(SIGUSR1, &sa, NULL);
  raise(SIGUSR1);
  printf("deferred: calls %d max depth %d\n", g_calls, g_max_depth);
  sa.sa_handler = Masked;
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, SIGUSR2);
  sigaction(SIGUSR1, &sa, NULL);
  raise(SIGUSR1);
  sigset_t cur;
  sigprocmask(SIG_BLOCK, NULL, &cur);
  printf("after handler: USR1 blocked %d, USR2 blocked %d\n", sigismember(&cur, SIGUSR1),
         sigismember(&cur, SIGUSR2));
  sa.sa_handler = Masked;
  sa.sa_flags = SA_RESETHAND;
  sigaction(SIGUSR2, &sa, NULL);
  raise(SIGUSR2);
  struct sigaction now;
  sigaction(SIGUSR2, NULL, &now);
  printf("after RESETHAND: default %s\n", now.sa_handler == SIG_DFL ? "true" : "false");
  pid_t child = fork();
  if (child == 0) {
    raise(SIGUSR2);  // now the default action: terminate
    _exit(0);
  }
  t_wait(child, "child raising the reset signal");
  return 0;
}
