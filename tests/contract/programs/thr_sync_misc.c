// rwlocks, barriers, semaphores and pthread_once between threads.
#include <pthread.h>
#include <semaphore.h>

#include "contract.h"

static pthread_barrier_t g_barrier;
static sem_t g_sem;
static pthread_rwlock_t g_rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static int g_once_count, g_serial, g_value;

static void Once(void) { ++g_once_count; }

static void* Work(void* arg) {
  (void)arg;
  pthread_once(&g_once, Once);
  if (pthread_barrier_wait(&g_barrier) == PTHREAD_BARRIER_SERIAL_THREAD)
    __atomic_add_fetch(&g_serial, 1, __ATOMIC_SEQ_CST);
  for (int i = 0; i < 1000; ++i) {
    pthread_rwlock_wrlock(&g_rw);
    ++g_value;
    pthread_rwlock_unlock(&g_rw);
    pthread_rwlock_rdlock(&g_rw);
    (void)g_value;
    pthread_rwlock_unlock(&g_rw);
  }
  sem_post(&g_sem);
  return NULL;
}

int main(void) {
  pthread_barrier_init(&g_barrier, NULL, 3);
  sem_init(&g_sem, 0, 0);
  pthread_t t[3];
  for (int i = 0; i < 3; ++i) pthread_create(&t[i], NULL, Work, NULL);
  for (int i = 0; i < 3; ++i) sem_wait(&g_sem);
  for (int i = 0; i < 3; ++i) pthread_join(t[i], NULL);
  printf("once ran %d time(s), serial threads %d, value %d\n", g_once_count, g_serial, g_value);
  int v;
  sem_getvalue(&g_sem, &v);
  printf("semaphore now %d, trywait: %s\n", v, sem_trywait(&g_sem) == 0 ? "ok" : t_errname(errno));
  return 0;
}
