// exit() in a thread ends the whole process (exit_group); a thread's SYS_exit ends only
// itself; main's pthread_exit lets the others finish; status comes from the last exit_group.
#include <pthread.h>

#include "contract.h"

static void* ExitGroup(void* arg) {
  (void)arg;
  exit(3);
}
static void* Sleeper(void* arg) {
  (void)arg;
  pause();
  return NULL;
}
static void* ExitThread(void* arg) {
  (void)arg;
  syscall(SYS_exit, 0);
  return NULL;
}
static void* Finisher(void* arg) {
  (void)arg;
  usleep(50000);
  printf("finisher: still running after main's pthread_exit\n");
  return (void*)0;
}

int main(int argc, char** argv) {
  (void)argv;
  if (argc > 1) {  // re-executed: a fresh process (musl's forked children cannot pthread_exit
                   // from main: _Fork does not re-register the thread-list lock with the kernel)
    pthread_t a;
    pthread_create(&a, NULL, Finisher, NULL);
    pthread_exit(NULL);
  }
  pid_t child = fork();
  if (child == 0) {
    pthread_t a, b;
    pthread_create(&b, NULL, Sleeper, NULL);
    pthread_create(&a, NULL, ExitGroup, NULL);
    pause();
    _exit(0);
  }
  t_wait(child, "exit(3) in a thread");
  child = fork();
  if (child == 0) {
    pthread_t a;
    pthread_create(&a, NULL, ExitThread, NULL);
    usleep(50000);
    _exit(4);
  }
  t_wait(child, "SYS_exit in a thread, then main exits 4");
  child = fork();
  if (child == 0) {
    char path[4200];
    snprintf(path, sizeof(path), "%s/thr_exit", t_bin_dir());
    char* args[] = {"thr_exit", "pthread-exit", NULL};
    execv(path, args);
    _exit(127);
  }
  t_wait(child, "main pthread_exit");
  child = fork();
  if (child == 0) {
    pthread_t a;
    pthread_create(&a, NULL, Sleeper, NULL);
    raise(SIGKILL);
  }
  t_wait(child, "SIGKILL to a threaded process");
  return 0;
}
