// In a thread: getpid is the process's, gettid is its own, getppid is the parent's;
// set_tid_address returns the caller's TID (asked in main only: in a
// thread it would replace the address pthread_join waits on) [man 2 gettid, man 2 set_tid_address].
#include <pthread.h>

#include "contract.h"

static pid_t g_pid, g_ppid;
static void* Work(void* arg) {
  (void)arg;
  printf("thread: getpid same: %s\n", getpid() == g_pid ? "true" : "false");
  printf("thread: gettid differs: %s\n", syscall(SYS_gettid) != g_pid ? "true" : "false");
  printf("thread: getppid same: %s\n", getppid() == g_ppid ? "true" : "false");
  return NULL;
}

int main(void) {
  g_pid = getpid();
  g_ppid = getppid();
  int dummy;
  printf("main: set_tid_address returns pid: %s\n",
         syscall(SYS_set_tid_address, &dummy) == g_pid ? "true" : "false");
  pthread_t t;
  pthread_create(&t, NULL, Work, NULL);
  pthread_join(t, NULL);
  return 0;
}
