// Thread-local storage (%fs base per thread, set by clone's CLONE_SETTLS): each thread sees
// its own copy, initialised from the TLS image.
#include <pthread.h>

#include "contract.h"

static __thread int t_value = 42;
static __thread char t_buf[64] = "initial";

static void* Work(void* arg) {
  long i = (long)arg;
  int first = t_value;
  t_value = (int)i;
  snprintf(t_buf, sizeof(t_buf), "thread %ld", i);
  usleep(10000);
  static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  pthread_mutex_lock(&lock);
  printf("%s: initial value %d, now %d\n", t_buf, first, t_value);
  pthread_mutex_unlock(&lock);
  return NULL;
}

int main(void) {
  t_value = -1;
  pthread_t t[3];
  for (long i = 0; i < 3; ++i) {
    pthread_create(&t[i], NULL, Work, (void*)(i + 1));
    pthread_join(t[i], NULL);  // sequential: deterministic output order
  }
  printf("main: %d %s\n", t_value, t_buf);
  unsigned long fs = 0;
  T_CALL(syscall(SYS_arch_prctl, 0x1003 /* ARCH_GET_FS */, &fs));
  T_TRUE(fs != 0);
  T_CALL(syscall(SYS_arch_prctl, 0x9999, &fs));
  T_CALL(syscall(SYS_arch_prctl, 0x1002 /* ARCH_SET_FS */, 0xffff800000000000ull));
  return 0;
}
