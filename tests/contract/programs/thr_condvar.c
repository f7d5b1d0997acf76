// A bounded queue with a mutex and two condition variables: 1000 items, in order.
#include <pthread.h>

#include "contract.h"

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t g_not_full = PTHREAD_COND_INITIALIZER;
static int g_queue[4], g_head, g_count;

static void* Producer(void* arg) {
  (void)arg;
  for (int i = 1; i <= 1000; ++i) {
    pthread_mutex_lock(&g_lock);
    while (g_count == 4) pthread_cond_wait(&g_not_full, &g_lock);
    g_queue[(g_head + g_count) % 4] = i;
    ++g_count;
    pthread_cond_signal(&g_not_empty);
    pthread_mutex_unlock(&g_lock);
  }
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, Producer, NULL);
  long sum = 0;
  int in_order = 1, last = 0;
  for (int i = 0; i < 1000; ++i) {
    pthread_mutex_lock(&g_lock);
    while (g_count == 0) pthread_cond_wait(&g_not_empty, &g_lock);
    int v = g_queue[g_head];
    g_head = (g_head + 1) % 4;
    --g_count;
    pthread_cond_signal(&g_not_full);
    pthread_mutex_unlock(&g_lock);
    if (v != last + 1) in_order = 0;
    last = v;
    sum += v;
  }
  pthread_join(t, NULL);
  printf("sum %ld in order %d\n", sum, in_order);
  struct timespec past = {0, 0};
  pthread_mutex_lock(&g_lock);
  printf("timedwait in the past: %s\n",
         t_errname(pthread_cond_timedwait(&g_not_empty, &g_lock, &past)));
  pthread_mutex_unlock(&g_lock);
  return 0;
}
