// Thread-directed signals: tgkill reaches the named thread; a process-directed signal
// goes to a thread that does not block it; masks are per thread [man 7 signal].
#include <pthread.h>

#include "contract.h"

static volatile pid_t g_handled_by;
static void OnSignal(int sig) {
  (void)sig;
  g_handled_by = (pid_t)syscall(SYS_gettid);
}

static volatile pid_t g_worker_tid;
static volatile int g_stop;
static void* Worker(void* arg) {
  (void)arg;
  g_worker_tid = (pid_t)syscall(SYS_gettid);
  while (!g_stop) usleep(1000);
  return NULL;
}

int main(void) {
  signal(SIGUSR1, OnSignal);
  pthread_t t;
  pthread_create(&t, NULL, Worker, NULL);
  while (g_worker_tid == 0) sched_yield();
  T_CALL(syscall(SYS_tgkill, getpid(), g_worker_tid, SIGUSR1));
  while (g_handled_by == 0) usleep(1000);
  printf("tgkill handled by the worker: %s\n", g_handled_by == g_worker_tid ? "true" : "false");
  g_handled_by = 0;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &set, NULL);  // main blocks it: the worker must take it
  kill(getpid(), SIGUSR1);
  while (g_handled_by == 0) usleep(1000);
  printf("kill handled by the unblocked thread: %s\n",
         g_handled_by == g_worker_tid ? "true" : "false");
  T_CALL(pthread_kill(t, 0));
  g_stop = 1;
  pthread_join(t, NULL);
  sigset_t pending;
  sigpending(&pending);
  printf("nothing pending: %s\n", sigismember(&pending, SIGUSR1) ? "false" : "true");
  return 0;
}
