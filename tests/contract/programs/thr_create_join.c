// pthread_create/join: threads share memory, have their own TIDs, and return values
// come back through join (clone with CLONE_VM|CLONE_THREAD|... and CLONE_CHILD_CLEARTID).
#include <pthread.h>

#include "contract.h"

static int g_shared[4];

static void* Work(void* arg) {
  long i = (long)arg;
  g_shared[i] = (int)(i * 10);
  return (void*)(i + 100);
}

int main(void) {
  pthread_t t[4];
  for (long i = 0; i < 4; ++i) T_CALL(pthread_create(&t[i], NULL, Work, (void*)i));
  for (int i = 0; i < 4; ++i) {
    void* ret;
    T_CALL(pthread_join(t[i], &ret));
    printf("thread %d returned %ld\n", i, (long)ret);
  }
  printf("shared: %d %d %d %d\n", g_shared[0], g_shared[1], g_shared[2], g_shared[3]);
  return 0;
}
