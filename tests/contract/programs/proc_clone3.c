// clone3(2): the struct's size checks (smaller than CLONE_ARGS_SIZE_VER0 EINVAL, larger than a
// page E2BIG, a larger struct only with zeroes past the known fields), the three layouts
// VER0 (64), VER1 (80, set_tid) and VER2 (88, cgroup), the argument checks of
// clone3_args_valid, set_tid (one level: EINVAL, EEXIST, EPERM, or exactly that pid), and a
// child's exit signal: one that is not SIGCHLD makes it a "clone"
// child that wait4 sees only with __WCLONE or __WALL [man 2 clone3, man 2 wait4].
#include <sched.h>

#include "contract.h"

#ifndef CLONE_DETACHED
#define CLONE_DETACHED 0x00400000
#endif
#ifndef __WALL
#define __WALL 0x40000000
#endif
#ifndef __WCLONE
#define __WCLONE 0x80000000
#endif

struct CloneArgs {  // struct clone_args [linux include/uapi/linux/sched.h]
  uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
  uint64_t set_tid, set_tid_size;  // VER1
  uint64_t cgroup;                 // VER2
  uint64_t future[2];              // not (yet) in the struct: must be zero
};

static long Clone3(struct CloneArgs* args, size_t size) { return syscall(SYS_clone3, args, size); }

// A clone3 that must fail: prints what was wrong and the errno.
static void Refused(const char* what, struct CloneArgs* args, size_t size) {
  errno = 0;
  long r = Clone3(args, size);
  if (r == 0) _exit(99);
  printf("%s (size %zu) = %ld %s\n", what, size, r, r < 0 ? t_errname(errno) : "");
  if (r > 0) waitpid((pid_t)r, NULL, __WALL);
}

static volatile int g_usr1;
static void OnUsr1(int sig) {
  (void)sig;
  ++g_usr1;
}

// A fork through clone3 that must succeed; the child exits with `code`.
static void ForkWith(struct CloneArgs* args, size_t size, int code, const char* what) {
  long pid = Clone3(args, size);
  if (pid == 0) _exit(code);
  if (pid < 0) {
    printf("%s: clone3 = -1 %s\n", what, t_errname(errno));
    return;
  }
  t_wait((pid_t)pid, what);
}

int main(void) {
  struct CloneArgs a;
  memset(&a, 0, sizeof(a));
  a.exit_signal = SIGCHLD;
  T_CALL(Clone3(&a, 0));
  T_CALL(Clone3(&a, 63));
  T_CALL(Clone3(&a, 4097));
  T_CALL(Clone3(NULL, 64));
  ForkWith(&a, 64, 1, "CLONE_ARGS_SIZE_VER0");
  ForkWith(&a, 80, 2, "CLONE_ARGS_SIZE_VER1");
  ForkWith(&a, 88, 3, "CLONE_ARGS_SIZE_VER2");
  ForkWith(&a, 104, 4, "104 bytes, zero tail");
  a.future[1] = 1;
  Refused("a set field past CLONE_ARGS_SIZE_VER2", &a, 104);
  ForkWith(&a, 96, 5, "96 bytes, the set field not included");
  a.future[1] = 0;

  // clone3_args_valid and the checks of copy_clone_args_from_user.
  a.exit_signal = 65;
  Refused("exit_signal 65", &a, 64);
  a.exit_signal = (1ull << 32) | SIGCHLD;
  Refused("exit_signal with bit 32", &a, 64);
  a.exit_signal = SIGCHLD;
  a.flags = CLONE_DETACHED;
  Refused("CLONE_DETACHED", &a, 64);
  a.flags = 1ull << 40;
  Refused("flag bit 40", &a, 64);
  a.flags = CLONE_THREAD | CLONE_SIGHAND | CLONE_VM;
  Refused("CLONE_THREAD with an exit signal", &a, 64);
  a.flags = CLONE_PARENT;
  Refused("CLONE_PARENT with an exit signal", &a, 64);
  a.flags = CLONE_SIGHAND;
  Refused("CLONE_SIGHAND without CLONE_VM", &a, 64);
  a.flags = 0;
  a.stack_size = 4096;
  Refused("stack_size without a stack", &a, 64);
  a.stack_size = 0;
  static char stack[4096];
  a.stack = (uint64_t)(uintptr_t)stack;
  Refused("a stack without stack_size", &a, 64);
  a.stack = 0;
  int tids[2] = {-1, 0};
  a.set_tid = (uint64_t)(uintptr_t)tids;
  Refused("set_tid without set_tid_size", &a, 80);
  a.set_tid = 0;
  a.set_tid_size = 1;
  Refused("set_tid_size without set_tid", &a, 80);
  a.set_tid = (uint64_t)(uintptr_t)tids;
  a.set_tid_size = 33;
  Refused("set_tid_size 33 (> MAX_PID_NS_LEVEL)", &a, 80);
  a.set_tid_size = 1;
  Refused("set_tid {-1}", &a, 80);
  tids[0] = 1 << 22;  // PID_MAX_LIMIT: at or above any pid_max
  Refused("set_tid {4194304}", &a, 80);
  tids[0] = getpid();
  Refused("set_tid {the caller's pid}", &a, 80);
  a.set_tid_size = 2;  // one level more than the namespaces (the initial one only)
  Refused("set_tid_size 2", &a, 80);
  // A free pid: the child gets exactly it.
  int free_pid = 20000;
  while (free_pid < 32000 && !(kill(free_pid, 0) < 0 && errno == ESRCH)) ++free_pid;
  tids[0] = free_pid;
  a.set_tid_size = 1;
  long chosen = Clone3(&a, 80);
  if (chosen == 0) _exit(getpid() == free_pid ? 0 : 1);
  T_TRUE(chosen == free_pid);
  if (chosen > 0) t_wait((pid_t)chosen, "child with a chosen pid");
  // Without privilege: EPERM.
  pid_t unprivileged = fork();
  if (unprivileged == 0) {
    if (setuid(65534) != 0) _exit(2);
    Refused("set_tid as uid 65534", &a, 80);
    _exit(0);
  }
  t_wait(unprivileged, "unprivileged child");
  a.set_tid = 0;
  a.set_tid_size = 0;

  // Exit signals: SIGUSR1 and none make the child a clone child.
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = OnUsr1;
  sigaction(SIGUSR1, &sa, NULL);
  int status = 0;
  a.exit_signal = SIGUSR1;
  long pid = Clone3(&a, 64);
  if (pid == 0) _exit(6);
  T_TRUE(pid > 0);
  T_CALL(waitpid((pid_t)pid, &status, 0));
  T_CALL(waitpid((pid_t)pid, &status, WNOHANG));
  T_TRUE(waitpid((pid_t)pid, &status, __WCLONE) == pid);
  printf("SIGUSR1 child: %s, SIGUSR1 received %d\n", t_status(status), g_usr1);
  a.exit_signal = 0;
  pid = Clone3(&a, 64);
  if (pid == 0) _exit(7);
  T_TRUE(pid > 0);
  T_CALL(waitpid(-1, &status, 0));
  T_TRUE(waitpid(-1, &status, __WALL) == pid);
  printf("exit_signal 0 child: %s\n", t_status(status));
  a.exit_signal = SIGCHLD;
  pid = Clone3(&a, 64);
  if (pid == 0) _exit(8);
  T_TRUE(pid > 0);
  T_CALL(waitpid((pid_t)pid, &status, __WCLONE));
  T_TRUE(waitpid((pid_t)pid, &status, __WALL) == pid);
  printf("SIGCHLD child: %s\n", t_status(status));
  T_CALL(waitpid(-1, &status, __WCLONE | __WALL));  // nothing left
  return 0;
}
