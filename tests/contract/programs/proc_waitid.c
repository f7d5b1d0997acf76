// waitid(2) fills siginfo: si_signo SIGCHLD, si_code CLD_EXITED/CLD_KILLED, si_status;
// WNOWAIT leaves the child waitable [man 2 waitid].
#include "contract.h"

static void Show(const char* what, const siginfo_t* info) {
  const char* code = info->si_code == CLD_EXITED      ? "CLD_EXITED"
                     : info->si_code == CLD_KILLED    ? "CLD_KILLED"
                     : info->si_code == CLD_DUMPED    ? "CLD_DUMPED"
                     : info->si_code == CLD_STOPPED   ? "CLD_STOPPED"
                     : info->si_code == CLD_CONTINUED ? "CLD_CONTINUED"
                                                      : "other";
  printf("%s: signo=%s code=%s status=%d uid=%d\n", what, t_signame(info->si_signo), code,
         info->si_status, (int)info->si_uid);
}

int main(void) {
  pid_t child = fork();
  if (child == 0) _exit(17);
  siginfo_t info;
  memset(&info, 0, sizeof(info));
  T_CALL(waitid(P_PID, child, &info, WEXITED | WNOWAIT));
  Show("nowait", &info);
  T_TRUE(info.si_pid == child);
  memset(&info, 0, sizeof(info));
  T_CALL(waitid(P_PID, child, &info, WEXITED));
  Show("reaped", &info);
  child = fork();
  if (child == 0) {
    pause();
    _exit(0);
  }
  memset(&info, 0xff, sizeof(info));
  T_CALL(waitid(P_PID, child, &info, WEXITED | WNOHANG));
  printf("nohang, nothing yet: si_pid=%d\n", (int)info.si_pid);
  kill(child, SIGKILL);
  T_CALL(waitid(P_ALL, 0, &info, WEXITED));
  Show("killed", &info);
  child = fork();
  if (child == 0) _exit(1);
  T_CALL(waitid(P_PGID, 0, &info, WEXITED));  // our own process group
  Show("by pgid", &info);
  return 0;
}
