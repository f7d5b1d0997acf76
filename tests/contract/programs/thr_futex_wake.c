// FUTEX_WAIT sleeps until FUTEX_WAKE; the wake reports how many woke; a shared futex works
// across processes on MAP_SHARED memory, a private one between threads [man 2 futex].
#include <pthread.h>
#include <sys/mman.h>

#include "contract.h"
#include "futex.h"

static volatile int g_word;
static volatile int g_waiting;

static void* Waiter(void* arg) {
  (void)arg;
  __atomic_add_fetch(&g_waiting, 1, __ATOMIC_SEQ_CST);
  while (g_word == 0) syscall(SYS_futex, &g_word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
  return NULL;
}

int main(void) {
  pthread_t t[3];
  for (int i = 0; i < 3; ++i) pthread_create(&t[i], NULL, Waiter, NULL);
  while (g_waiting < 3) sched_yield();
  usleep(200 * 1000);  // let them reach FUTEX_WAIT
  g_word = 1;
  // One wake wakes exactly one waiter; how many the second finds still asleep depends on
  // timing, so only the first count is printed.
  long first = syscall(SYS_futex, &g_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
  long rest = syscall(SYS_futex, &g_word, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0);
  for (int i = 0; i < 3; ++i) pthread_join(t[i], NULL);
  printf("FUTEX_WAKE(1) woke: %ld\n", first);
  printf("FUTEX_WAKE(10) woke at most 2: %s\n", rest >= 0 && rest <= 2 ? "true" : "false");
  printf("all three threads joined\n");
  volatile int* shared =
      mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  pid_t child = fork();
  if (child == 0) {
    while (shared[0] == 0) syscall(SYS_futex, shared, FUTEX_WAIT, 0, NULL, NULL, 0);
    _exit(shared[0]);
  }
  usleep(200 * 1000);
  shared[0] = 7;
  long n = syscall(SYS_futex, shared, FUTEX_WAKE, 1, NULL, NULL, 0);
  printf("cross-process wake returned %ld\n", n);
  t_wait(child, "child");
  return 0;
}
