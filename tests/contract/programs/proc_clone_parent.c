// CLONE_PARENT: the new process is its caller's sibling, a child of the caller's parent, which
// alone can wait for it; it takes the caller's own exit signal (SIGCHLD here), whatever
// clone's low byte says, and clone3 insists on exit_signal 0 for it [man 2 clone,
// linux kernel/fork.c copy_process]. And a child with another exit signal that is adopted
// (here by a subreaper) signals SIGCHLD from then on [linux kernel/exit.c reparent_leader].
#include <sched.h>
#include <sys/prctl.h>

#include "contract.h"

struct CloneArgs {  // struct clone_args, CLONE_ARGS_SIZE_VER0
  uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

static pid_t g_top;

// Run in the middle process: makes a sibling with `how`, reports whether it can wait for it
// itself (errno of waitpid) and the sibling's pid through the pipe.
static void MakeSibling(int fd, int how) {
  long g;
  if (how == 0) {
    g = syscall(SYS_clone, CLONE_PARENT | SIGUSR1, NULL, NULL, NULL, 0);
  } else {
    struct CloneArgs a;
    memset(&a, 0, sizeof(a));
    a.flags = CLONE_PARENT;
    g = syscall(SYS_clone3, &a, sizeof(a));
  }
  if (g == 0) _exit(getppid() == g_top ? 5 : 6);
  int report[2] = {(int)g, 0};
  if (g > 0 && waitpid((pid_t)g, NULL, __WALL) < 0) report[1] = errno;
  if (write(fd, report, sizeof(report)) != (long)sizeof(report)) _exit(3);
}

static void Try(const char* what, int how) {
  int fds[2];
  if (pipe(fds) != 0) return;
  pid_t middle = fork();
  if (middle == 0) {
    close(fds[0]);
    MakeSibling(fds[1], how);
    _exit(0);
  }
  close(fds[1]);
  int report[2] = {0, 0};
  T_TRUE(t_read_all(fds[0], report, sizeof(report)) == 0);
  close(fds[0]);
  t_wait(middle, "the caller");
  printf("%s: created %s, the caller's waitpid: %s\n", what, report[0] > 0 ? "yes" : "no",
         t_errname(report[1]));
  if (report[0] <= 0) return;
  int status = 0;
  // Without __WCLONE: it signals SIGCHLD, so it is an ordinary child of ours.
  T_TRUE(waitpid(report[0], &status, 0) == report[0]);
  printf("%s: the sibling: %s (5: its parent is us)\n", what, t_status(status));
}

static void Adopted(void) {
  signal(SIGUSR1, SIG_IGN);
  T_CALL(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
  int fds[2];
  if (pipe(fds) != 0) return;
  pid_t middle = fork();
  if (middle == 0) {
    long g = syscall(SYS_clone, SIGUSR1, NULL, NULL, NULL, 0);
    if (g == 0) {
      char c;
      _exit(read(fds[0], &c, 1) == 1 ? 7 : 8);  // until its first parent is gone
    }
    _exit(g > 0 ? 0 : 1);
  }
  t_wait(middle, "the first parent");
  if (write(fds[1], "x", 1) != 1) return;
  int status = 0;
  // Without __WCLONE: the adopted child now signals SIGCHLD.
  T_TRUE(waitpid(-1, &status, 0) > 0);
  printf("adopted clone child: %s\n", t_status(status));
  close(fds[0]);
  close(fds[1]);
}

int main(void) {
  g_top = getpid();
  Try("clone(CLONE_PARENT|SIGUSR1)", 0);
  Try("clone3(CLONE_PARENT, exit_signal 0)", 1);
  Adopted();
  return 0;
}
