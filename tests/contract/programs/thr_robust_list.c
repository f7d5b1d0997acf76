// set_robust_list/get_robust_list argument checks; a robust mutex held by a dead process
// reports EOWNERDEAD to the next locker; an execve releases robust futexes as an exit does
// [man 2 get_robust_list, pthread_mutexattr_setrobust].
#include <pthread.h>
#include <sys/mman.h>

#include "contract.h"

int main(void) {
  struct {
    void* next;
    long offset;
    void* pending;
  } head = {&head, 0, NULL};
  T_CALL(syscall(SYS_set_robust_list, &head, sizeof(head)));
  T_CALL(syscall(SYS_set_robust_list, &head, sizeof(head) + 1));
  void* got;
  size_t len;
  T_CALL(syscall(SYS_get_robust_list, 0, &got, &len));
  printf("len: %zu, head is ours: %s\n", len, got == &head ? "true" : "false");
  T_CALL(syscall(SYS_get_robust_list, 0x3fffffff, &got, &len));
  pthread_mutex_t* m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
  pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
  pthread_mutex_init(m, &attr);
  pid_t child = fork();
  if (child == 0) {
    pthread_mutex_lock(m);
    _exit(0);  // dies holding it
  }
  t_wait(child, "holder");
  int r = pthread_mutex_lock(m);
  printf("lock after the owner died: %s\n", t_errname(r));
  printf("consistent: %d\n", pthread_mutex_consistent(m));
  printf("unlock: %d\n", pthread_mutex_unlock(m));
  printf("lock again: %d\n", pthread_mutex_lock(m));

  // execve releases robust futexes too (exec_mm_release): a word the execing process owns is
  // marked FUTEX_OWNER_DIED in memory the parent shares.
  volatile unsigned* word = (volatile unsigned*)((char*)m + 2048);
  *word = 0;
  child = fork();
  if (child == 0) {
    static struct {
      void* next;
      long offset;
      void* pending;
    } h;
    static void* entry;
    entry = &h;  // the list: head -> entry -> head
    h.next = &entry;
    h.offset = (char*)word - (char*)&entry;
    h.pending = NULL;
    *word = (unsigned)syscall(SYS_gettid);
    if (syscall(SYS_set_robust_list, &h, sizeof(h)) != 0) _exit(2);
    char* argv[] = {"contract-helper", "exit", "0", NULL};
    execve(t_helper_path(), argv, argv + 3);
    _exit(127);
  }
  t_wait(child, "holder that execs");
  printf("word after the exec: %#x\n", *word);
  return 0;
}
