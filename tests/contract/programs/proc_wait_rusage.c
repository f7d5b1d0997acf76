// wait4's and waitid's struct rusage carry the waited-for child's CPU time (its own and its
// reaped children's), also with WNOWAIT; nothing is written when nothing was waited for
// [man 2 wait4, man 2 waitid, linux kernel/exit.c wait_task_zombie].
#include <sys/resource.h>
#include <time.h>

#include "contract.h"

static long Ms(const struct rusage* ru) {
  return (ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1000L +
         (ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1000L;
}

static pid_t BusyChild(void) {
  pid_t child = fork();
  if (child == 0) {
    t_burn_cpu_ms(10);
    _exit(3);
  }
  return child;
}

int main(void) {
  struct rusage ru;
  int status = 0;
  pid_t child = BusyChild();
  memset(&ru, 0, sizeof(ru));
  T_TRUE(wait4(child, &status, 0, &ru) == child);
  printf("wait4: %s, utime+stime >= 8 ms: %s\n", t_status(status), Ms(&ru) >= 8 ? "true" : "false");

  // waitid's fifth argument, with WNOWAIT and then for real.
  child = BusyChild();
  siginfo_t info;
  memset(&ru, 0, sizeof(ru));
  T_CALL(syscall(SYS_waitid, P_PID, child, &info, WEXITED | WNOWAIT, &ru));
  printf("waitid WNOWAIT: utime+stime >= 8 ms: %s\n", Ms(&ru) >= 8 ? "true" : "false");
  memset(&ru, 0, sizeof(ru));
  T_CALL(syscall(SYS_waitid, P_PID, child, &info, WEXITED, &ru));
  printf("waitid: utime+stime >= 8 ms: %s\n", Ms(&ru) >= 8 ? "true" : "false");

  // A grandchild's time reaches the rusage through the child that reaped it.
  child = fork();
  if (child == 0) {
    pid_t g = BusyChild();
    waitpid(g, NULL, 0);
    _exit(0);
  }
  memset(&ru, 0, sizeof(ru));
  T_TRUE(wait4(child, &status, 0, &ru) == child);
  printf("wait4 of a child that reaped a busy one: utime+stime >= 8 ms: %s\n",
         Ms(&ru) >= 8 ? "true" : "false");

  // WNOHANG with nothing to report leaves the buffer alone.
  child = fork();
  if (child == 0) {
    pause();
    _exit(0);
  }
  memset(&ru, 0x5a, sizeof(ru));
  T_CALL(wait4(child, &status, WNOHANG, &ru));
  printf("rusage untouched: %s\n", ((unsigned char*)&ru)[0] == 0x5a ? "true" : "false");
  kill(child, SIGKILL);
  t_wait(child, "paused child");
  return 0;
}
