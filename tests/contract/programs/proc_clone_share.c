// clone(2) shares exactly what each flag names and nothing more: CLONE_FS the umask and the
// cwd, CLONE_FILES the fd table, CLONE_VM the memory, CLONE_SIGHAND the signal handlers; each
// one alone, and in the combinations musl, glibc and BusyBox use [man 2 clone].
#include <sched.h>
#include <sys/mman.h>

#include "contract.h"

#define kStackSize (64 * 1024)

static char g_stack[kStackSize] __attribute__((aligned(16)));
static volatile int g_memory;

static void Handler(int sig) { (void)sig; }

// The child changes one thing of each kind and exits; it prints nothing (it may share stdout's
// buffer and the parent's TLS).
static int Child(void* arg) {
  (void)arg;
  umask(077);
  if (chdir("sub") != 0) return 2;
  int fd = open("/dev/null", O_RDONLY);
  if (fd < 0 || dup2(fd, 100) != 100) return 3;
  close(fd);
  close(101);  // opened by the parent before the clone
  g_memory = 1;
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = Handler;
  sigaction(SIGUSR1, &sa, NULL);
  return 0;
}

static const char* YesNo(int b) { return b ? "shared" : "separate"; }

static void Try(const char* name, int flags) {
  int home = open(".", O_RDONLY | O_DIRECTORY);
  umask(022);
  int keep = open("/dev/null", O_RDONLY);
  if (home < 0 || keep < 0 || dup2(keep, 101) != 101) {
    printf("%s: setup failed\n", name);
    return;
  }
  close(keep);
  close(100);
  g_memory = 0;
  signal(SIGUSR1, SIG_DFL);
  int pid = clone(Child, g_stack + kStackSize, flags | SIGCHLD, NULL);
  if (pid < 0) {
    printf("%s: clone = -1 %s\n", name, t_errname(errno));
    return;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  struct sigaction old;
  sigaction(SIGUSR1, NULL, &old);
  int umask_shared = umask(022) == 077;
  int cwd_shared = access("marker", F_OK) == 0;
  int new_fd_shared = fcntl(100, F_GETFD) >= 0;
  int close_shared = fcntl(101, F_GETFD) < 0;
  printf("%s: child %s; umask %s, cwd %s, new fd %s, close %s, memory %s, handler %s\n", name,
         t_status(status), YesNo(umask_shared), YesNo(cwd_shared), YesNo(new_fd_shared),
         YesNo(close_shared), YesNo(g_memory == 1), YesNo(old.sa_handler == Handler));
  // Back to the start for the next case.
  fchdir(home);
  close(home);
  close(100);
  close(101);
  signal(SIGUSR1, SIG_DFL);
}

int main(void) {
  T_CALL(mkdir("sub", 0755));
  t_make_file("sub/marker", "x");
  Try("none", 0);
  Try("CLONE_FS", CLONE_FS);
  Try("CLONE_FILES", CLONE_FILES);
  Try("CLONE_FS|CLONE_FILES", CLONE_FS | CLONE_FILES);
  Try("CLONE_VM", CLONE_VM);
  Try("CLONE_VM|CLONE_FS", CLONE_VM | CLONE_FS);
  Try("CLONE_VM|CLONE_FILES", CLONE_VM | CLONE_FILES);
  Try("CLONE_VM|CLONE_SIGHAND", CLONE_VM | CLONE_SIGHAND);
  Try("CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND",
      CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND);
  Try("CLONE_SIGHAND alone", CLONE_SIGHAND);
  // Flags that share nothing visible here (or need a tracer) are accepted.
  Try("CLONE_SYSVSEM|CLONE_IO|CLONE_PTRACE|CLONE_UNTRACED",
      CLONE_SYSVSEM | CLONE_IO | CLONE_PTRACE | CLONE_UNTRACED);
  Try("CLONE_VFORK|CLONE_VM", CLONE_VFORK | CLONE_VM);
  return 0;
}
