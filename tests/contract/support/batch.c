// contract-batch: runs contract programs one after the other and prints each transcript in a
// framed form that tests/contract/run_contract.py reads back. The same binary runs natively on
// the host and as the program of `tools/aramid exec` inside QEMU (on Linux and on Aramid), so
// every kernel starts the programs in exactly the same way; one boot runs a whole batch.
//
// Usage: contract-batch [--timeout=SECONDS] [--scratch=DIR] [--private-tmpfs] [--guest]
//                       [--start=K] [NAME...]
//   NAME...          programs to run (default: every line of contract.list beside this binary,
//                    from the K-th on with --start=K, counting from 0)
//   --timeout        per-program limit (default 10 s); the program's process group is killed
//   --scratch        where per-program working directories are made (default /tmp)
//   --private-tmpfs  mount a tmpfs over the scratch directory in a private mount namespace, so
//                    that the host's filesystem type does not show through (host runs)
//   --guest          mount devpts on /dev/pts when it is not there (the test init does not)
//
// Output (stdout), every line ending in \n:
//   @@CONTRACT-BATCH <count>
//   @@BEGIN <name>                        before the program starts (a crash shows where)
//   @@OUTPUT <name> <length>              then exactly <length> bytes of stdout+stderr, then \n
//   @@END <name> <status>                 status: "exit N", "signal SIGNAME", "timeout",
//                                         "output-truncated exit N", ...
//   @@CONTRACT-DONE
// Lines starting with @@NOTE are diagnostics, not part of any transcript.
//
// How each program starts (contract.h documents this for program authors): a fresh scratch
// directory as its cwd, a new session without a controlling terminal, stdin /dev/null, stdout
// and stderr on one pipe, a fixed environment (PATH, HOME, CONTRACT_BIN), umask 022, every
// signal at its default and unblocked, RLIMIT_NOFILE 1024/4096, RLIMIT_CORE 0, no other fds.
// contract-batch is a child subreaper, so orphans of a program are reparented to it everywhere.
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "contract.h"  // t_signame

enum {
  kMaxOutput = 1 << 20,
  kMaxNames = 1024,
  kDrainGraceMs = 2000,
};

static char g_bin_dir[PATH_MAX / 2];
static char g_scratch[PATH_MAX / 2];
static int g_timeout_s = 10;

static void Emit(const void* data, size_t n) {
  const char* p = data;
  while (n > 0) {
    ssize_t w = write(1, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) _exit(3);
    p += w;
    n -= (size_t)w;
  }
}

static void EmitLine(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
static void EmitLine(const char* fmt, ...) {
  char line[PATH_MAX + 128];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof(line), fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n >= sizeof(line)) n = sizeof(line) - 1;
  Emit(line, (size_t)n);
}

static long long NowMs(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

// Closes every fd from 3 up, with close_range when the kernel has it.
static void CloseFrom3(void) {
  if (syscall(SYS_close_range, 3u, ~0u, 0u) == 0) return;
  for (int fd = 3; fd < 4096; ++fd) close(fd);
}

static _Noreturn void StartProgram(const char* name, int out_fd, const char* workdir) {
  setsid();
  int null_fd = open("/dev/null", O_RDONLY);
  if (null_fd >= 0 && null_fd != 0) {
    dup2(null_fd, 0);
    close(null_fd);
  }
  dup2(out_fd, 1);
  dup2(out_fd, 2);
  CloseFrom3();
  for (int sig = 1; sig < 65; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    sigaction(sig, &sa, NULL);  // fails harmlessly for the signals musl keeps for itself
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  umask(022);
  struct rlimit files = {1024, 4096};
  setrlimit(RLIMIT_NOFILE, &files);
  struct rlimit core = {0, 0};
  setrlimit(RLIMIT_CORE, &core);
  struct rlimit stack = {
      8 << 20, 8 << 20};  // lowering needs no privilege (the host may lack CAP_SYS_RESOURCE)
  setrlimit(RLIMIT_STACK, &stack);
  if (chdir(workdir) != 0) {
    dprintf(1, "contract-batch: chdir: %s\n", strerror(errno));
    _exit(126);
  }
  clearenv();
  setenv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 1);
  setenv("HOME", "/root", 1);
  setenv("CONTRACT_BIN", g_bin_dir, 1);
  char path[PATH_MAX];
  snprintf(path, sizeof(path), "%s/%s", g_bin_dir, name);
  char* argv[] = {(char*)name, NULL};
  execv(path, argv);
  dprintf(1, "contract-batch: cannot execute %s: %s\n", name, strerror(errno));
  _exit(127);
}

static void ReapOrphans(void) {
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
}

// Runs one program; prints its framed transcript.
static void RunOne(const char* name) {
  static char output[kMaxOutput];
  size_t length = 0;
  int truncated = 0;
  EmitLine("@@BEGIN %s\n", name);

  char workdir[PATH_MAX];
  snprintf(workdir, sizeof(workdir), "%s/%s", g_scratch, name);
  if (mkdir(workdir, 0755) != 0 && errno != EEXIST) {
    EmitLine("@@NOTE mkdir %s: %s\n", workdir, strerror(errno));
  }
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    EmitLine("@@OUTPUT %s 0\n\n@@END %s harness-error pipe %s\n", name, name, strerror(errno));
    return;
  }
  pid_t child = fork();
  if (child < 0) {
    EmitLine("@@OUTPUT %s 0\n\n@@END %s harness-error fork %s\n", name, name, strerror(errno));
    close(fds[0]);
    close(fds[1]);
    return;
  }
  if (child == 0) {
    close(fds[0]);
    StartProgram(name, fds[1], workdir);
  }
  close(fds[1]);

  long long deadline = NowMs() + (long long)g_timeout_s * 1000;
  long long drain_deadline = -1;
  int status = 0, exited = 0, timed_out = 0, eof = 0;
  while (!eof) {
    if (!exited) {
      pid_t r = waitpid(child, &status, WNOHANG);
      if (r == child) {
        exited = 1;
        // Whatever is left of its process group must not keep the pipe open forever.
        drain_deadline = NowMs() + kDrainGraceMs;
      }
    }
    long long now = NowMs();
    if (!exited && now >= deadline) {
      timed_out = 1;
      kill(-child, SIGKILL);
      kill(child, SIGKILL);
      waitpid(child, &status, 0);
      exited = 1;
      drain_deadline = NowMs() + kDrainGraceMs;
    }
    if (exited && NowMs() >= drain_deadline) break;
    struct pollfd p = {fds[0], POLLIN, 0};
    int wait_ms = exited ? 50 : 20;
    int n = poll(&p, 1, wait_ms);
    if (n < 0 && errno != EINTR) break;
    if (n > 0) {
      char chunk[4096];
      ssize_t got = read(fds[0], chunk, sizeof(chunk));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        eof = 1;
        break;
      }
      size_t keep = (size_t)got;
      if (length + keep > sizeof(output)) {
        keep = sizeof(output) - length;
        truncated = 1;
      }
      memcpy(output + length, chunk, keep);
      length += keep;
    }
  }
  if (!exited) {
    // EOF came first; the program itself may still be running (it closed its stdout).
    for (;;) {
      pid_t r = waitpid(child, &status, WNOHANG);
      if (r == child) break;
      if (NowMs() >= deadline) {
        timed_out = 1;
        kill(-child, SIGKILL);
        kill(child, SIGKILL);
        waitpid(child, &status, 0);
        break;
      }
      struct timespec ts = {0, 5 * 1000 * 1000};
      nanosleep(&ts, NULL);
    }
  }
  kill(-child, SIGKILL);  // stragglers in its process group
  close(fds[0]);
  ReapOrphans();

  char verdict[96];
  if (timed_out) {
    snprintf(verdict, sizeof(verdict), "timeout");
  } else if (WIFEXITED(status)) {
    snprintf(verdict, sizeof(verdict), "exit %d", WEXITSTATUS(status));
  } else if (WIFSIGNALED(status)) {
    snprintf(verdict, sizeof(verdict), "signal %s", t_signame(WTERMSIG(status)));
  } else {
    snprintf(verdict, sizeof(verdict), "status %#x", status);
  }
  EmitLine("@@OUTPUT %s %zu\n", name, length);
  Emit(output, length);
  EmitLine("\n@@END %s %s%s\n", name, truncated ? "output-truncated " : "", verdict);
}

static int ReadList(char* buffer, size_t size, char** names, int max) {
  char path[PATH_MAX];
  snprintf(path, sizeof(path), "%s/contract.list", g_bin_dir);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    EmitLine("@@NOTE cannot open %s: %s\n", path, strerror(errno));
    return -1;
  }
  size_t len = 0;
  for (;;) {
    ssize_t n = read(fd, buffer + len, size - 1 - len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    len += (size_t)n;
  }
  close(fd);
  buffer[len] = '\0';
  int count = 0;
  for (char *save = NULL, *line = strtok_r(buffer, "\n", &save); line != NULL && count < max;
       line = strtok_r(NULL, "\n", &save)) {
    if (line[0] != '\0' && line[0] != '#') names[count++] = line;
  }
  return count;
}

static void MountPrivateTmpfs(void) {
  // A private UTS namespace too: a program that sets the host name must not change the host's.
  if (unshare(CLONE_NEWNS | CLONE_NEWUTS) != 0) {
    EmitLine("@@NOTE unshare(CLONE_NEWNS|CLONE_NEWUTS): %s; using the scratch directory as it is\n",
             strerror(errno));
    return;
  }
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
      mount("contract", g_scratch, "tmpfs", 0, "mode=0755") != 0) {
    EmitLine("@@NOTE private tmpfs: %s\n", strerror(errno));
  }
}

static void GuestSetup(void) {
  if (access("/dev/pts/ptmx", F_OK) == 0) return;
  mkdir("/dev/pts", 0755);
  if (mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "gid=5,mode=620,ptmxmode=666") !=
      0) {
    EmitLine("@@NOTE mount devpts: %s\n", strerror(errno));
  }
}

int main(int argc, char** argv) {
  const char* scratch_parent = "/tmp";
  int private_tmpfs = 0, guest = 0, start = 0;
  int i = 1;
  for (; i < argc && strncmp(argv[i], "--", 2) == 0; ++i) {
    if (strncmp(argv[i], "--timeout=", 10) == 0) {
      g_timeout_s = atoi(argv[i] + 10);
    } else if (strncmp(argv[i], "--scratch=", 10) == 0) {
      scratch_parent = argv[i] + 10;
    } else if (strcmp(argv[i], "--private-tmpfs") == 0) {
      private_tmpfs = 1;
    } else if (strcmp(argv[i], "--guest") == 0) {
      guest = 1;
    } else if (strncmp(argv[i], "--start=", 8) == 0) {
      start = atoi(argv[i] + 8);
    } else if (strcmp(argv[i], "--") == 0) {
      ++i;
      break;
    } else {
      dprintf(2, "contract-batch: unknown option %s\n", argv[i]);
      return 2;
    }
  }
  if (argv[0][0] != '/') {
    dprintf(2, "contract-batch: run me by absolute path (it names the program directory)\n");
    return 2;
  }
  snprintf(g_bin_dir, sizeof(g_bin_dir), "%s", argv[0]);
  *strrchr(g_bin_dir, '/') = '\0';

  static char list_buffer[64 * 1024];
  static char* names[kMaxNames];
  int count = 0;
  if (i < argc) {
    for (; i < argc && count < kMaxNames; ++i) names[count++] = argv[i];
  } else {
    count = ReadList(list_buffer, sizeof(list_buffer), names, kMaxNames);
    if (count < 0) return 1;
  }
  if (start > count) start = count;

  if (guest) GuestSetup();
  snprintf(g_scratch, sizeof(g_scratch), "%s/contract-XXXXXX", scratch_parent);
  if (mkdtemp(g_scratch) == NULL) {
    dprintf(2, "contract-batch: mkdtemp in %s: %s\n", scratch_parent, strerror(errno));
    return 1;
  }
  if (private_tmpfs) MountPrivateTmpfs();
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  signal(SIGPIPE, SIG_IGN);

  EmitLine("@@CONTRACT-BATCH %d\n", count - start);
  for (int k = start; k < count; ++k) RunOne(names[k]);
  EmitLine("@@CONTRACT-DONE\n");
  if (private_tmpfs) umount2(g_scratch, MNT_DETACH);
  rmdir(g_scratch);  // empty after a private tmpfs; otherwise the runner leaves it for a look
  return 0;
}
