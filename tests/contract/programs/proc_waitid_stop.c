// waitid(2) for stops and continues: WSTOPPED reports CLD_STOPPED once, WCONTINUED reports
// CLD_CONTINUED once, WNOWAIT leaves either to be reported again, a selector without WEXITED
// does not see an exit; P_PGID selects by process group (ECHILD when no child is in it);
// P_PIDFD on an fd that is not a pidfd is EBADF [man 2 waitid].
#include "contract.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

static void Show(const char* what, long ret, const siginfo_t* info) {
  const char* code = info->si_code == CLD_EXITED      ? "CLD_EXITED"
                     : info->si_code == CLD_KILLED    ? "CLD_KILLED"
                     : info->si_code == CLD_DUMPED    ? "CLD_DUMPED"
                     : info->si_code == CLD_STOPPED   ? "CLD_STOPPED"
                     : info->si_code == CLD_CONTINUED ? "CLD_CONTINUED"
                     : info->si_code == 0             ? "0"
                                                      : "other";
  printf("%s = %ld: signo=%s code=%s status=%d pid is %s\n", what, ret, t_signame(info->si_signo),
         code, info->si_status, info->si_pid == 0 ? "0" : "the child's");
}

#define WAITID(idtype, id, options)                                        \
  do {                                                                     \
    memset(&info, 0xff, sizeof(info));                                     \
    long r_ = waitid(idtype, id, &info, options);                          \
    if (r_ < 0) {                                                          \
      printf("%s = -1 %s\n", #idtype ", " #options, t_errname(errno));     \
    } else {                                                               \
      if (info.si_pid != 0 && info.si_pid != child) printf("wrong pid\n"); \
      Show(#idtype ", " #options, r_, &info);                              \
    }                                                                      \
  } while (0)

int main(void) {
  siginfo_t info;
  pid_t child = fork();
  if (child == 0) {
    for (;;) pause();
  }
  kill(child, SIGSTOP);
  WAITID(P_PID, child, WSTOPPED | WNOWAIT);
  WAITID(P_PID, child, WSTOPPED);
  WAITID(P_PID, child, WSTOPPED | WNOHANG);  // reported already
  WAITID(P_ALL, 0, WEXITED | WCONTINUED | WNOHANG);
  kill(child, SIGCONT);
  WAITID(P_PID, child, WCONTINUED | WNOWAIT);
  WAITID(P_PID, child, WCONTINUED);
  WAITID(P_PID, child, WCONTINUED | WSTOPPED | WNOHANG);
  kill(child, SIGKILL);
  WAITID(P_PID, child, WEXITED | WNOWAIT);
  WAITID(P_PID, child, WSTOPPED | WCONTINUED | WNOHANG);  // dead: not for these
  WAITID(P_ALL, 0, WEXITED);

  // P_PGID: a child in a group of its own.
  int ready[2];
  if (pipe(ready) != 0) return 1;
  child = fork();
  if (child == 0) {
    setpgid(0, 0);
    char c;
    close(ready[1]);
    if (read(ready[0], &c, 1) != 1) _exit(1);
    _exit(4);
  }
  setpgid(child, child);
  close(ready[0]);
  WAITID(P_PGID, 0, WEXITED | WNOHANG);      // our group has no children
  WAITID(P_PGID, child, WEXITED | WNOHANG);  // the child's group: not yet exited
  if (write(ready[1], "x", 1) != 1) return 1;
  WAITID(P_PGID, child, WEXITED);
  close(ready[1]);

  // P_PIDFD with an fd that is not a pidfd, and with no fd at all.
  int fd = open("/dev/null", O_RDONLY);
  WAITID(P_PIDFD, fd, WEXITED | WNOHANG);
  WAITID(P_PIDFD, 999, WEXITED | WNOHANG);
  close(fd);
  return 0;
}
