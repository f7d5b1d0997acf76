// Four threads increment a counter 20000 times each under a mutex (futex contention).
#include <pthread.h>

#include "contract.h"

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static long g_counter;

static void* Work(void* arg) {
  (void)arg;
  for (int i = 0; i < 20000; ++i) {
    pthread_mutex_lock(&g_lock);
    ++g_counter;
    if (i % 1000 == 0) sched_yield();
    pthread_mutex_unlock(&g_lock);
  }
  return NULL;
}

int main(void) {
  pthread_t t[4];
  for (int i = 0; i < 4; ++i) pthread_create(&t[i], NULL, Work, NULL);
  for (int i = 0; i < 4; ++i) pthread_join(t[i], NULL);
  printf("counter: %ld\n", g_counter);
  pthread_mutex_t errcheck;
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
  pthread_mutex_init(&errcheck, &attr);
  printf("lock: %d\n", pthread_mutex_lock(&errcheck));
  printf("relock: %s\n", t_errname(pthread_mutex_lock(&errcheck)));
  printf("trylock: %s\n", t_errname(pthread_mutex_trylock(&errcheck)));
  printf("unlock: %d\n", pthread_mutex_unlock(&errcheck));
  printf("unlock again: %s\n", t_errname(pthread_mutex_unlock(&errcheck)));
  return 0;
}
