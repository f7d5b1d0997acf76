// fork in a multithreaded process copies only the calling thread; execve from a non-main
// thread replaces the whole process (other threads die) [man 2 fork, man 2 execve].
#include <pthread.h>

#include "contract.h"

static void* Sleeper(void* arg) {
  (void)arg;
  for (;;) pause();
  return NULL;
}

static void* ForkFromThread(void* arg) {
  (void)arg;
  pid_t child = fork();
  if (child == 0) {
    // Only this thread exists in the child: count the tasks via the process's thread count
    // is not portable without /proc; instead check that the child runs and exits normally.
    _exit(6);
  }
  t_wait(child, "child forked from a thread");
  return NULL;
}

static void* ExecFromThread(void* arg) {
  (void)arg;
  char* argv[] = {"contract-helper", "exit", "8", NULL};
  char* envp[] = {NULL};
  execve(t_helper_path(), argv, envp);
  printf("execve failed: %s\n", t_errname(errno));
  return NULL;
}

int main(void) {
  pthread_t s, f;
  pthread_create(&s, NULL, Sleeper, NULL);
  pthread_create(&f, NULL, ForkFromThread, NULL);
  pthread_join(f, NULL);
  pid_t child = fork();
  if (child == 0) {
    pthread_t a, b;
    pthread_create(&a, NULL, Sleeper, NULL);
    pthread_create(&b, NULL, ExecFromThread, NULL);
    for (;;) pause();
  }
  t_wait(child, "execve from a non-main thread");
  return 0;
}
