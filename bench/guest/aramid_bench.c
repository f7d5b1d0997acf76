// aramid-bench: system-call and kernel-path microbenchmarks, run inside the guest on Aramid and
// on Linux alike (`tools/aramid bench --vs-linux`), or natively on the host.
//
// Usage: aramid-bench [--list] [--min-time-ms=N] [--reps=N] [--timeout=S] [NAME...]
//   NAME...          benchmarks to run (default: all, in the order of --list)
//   --min-time-ms    each timed repetition lasts at least this long (default 20)
//   --reps           timed repetitions per benchmark; the median is reported (default 5)
//   --timeout        seconds one benchmark may take before it is killed (default 60)
//
// Output, machine-readable lines (the first word says which kind):
//   BENCH-BEGIN <name>                       before it starts (a crash shows where)
//   BENCH <name> <median ns per operation>   the result (docs/testing.md's contract)
//   BENCH-DETAIL <name> min=<ns> max=<ns> iters=<per rep> reps=<n> [note=<word>]
//   BENCH-FAIL <name> <reason>
// and at the end "BENCH-DONE". Each benchmark runs in a child process, so one that crashes or
// hangs is reported as failing and the others still run.
//
// Every benchmark is a function doing `iters` operations; the harness calibrates iters so that
// one repetition lasts --min-time-ms (TCG is slow and noisy: medians of several long
// repetitions are stable), then times --reps repetitions with CLOCK_MONOTONIC.
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

// A benchmark body: performs `iters` operations; returns 0, or an errno-style reason string.
typedef const char* (*BenchFn)(long iters);

static char g_scratch[256] = "/tmp";
static char g_self_dir[256];

static long long NowNs(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static const char* Fail(const char* what) {
  static char reason[160];
  snprintf(reason, sizeof(reason), "%s:%s", what, strerror(errno));
  for (char* p = reason; *p; ++p)
    if (*p == ' ') *p = '_';
  return reason;
}

// ---- system-call floor ---------------------------------------------------------------------

static const char* BenchGetpid(long iters) {
  for (long i = 0; i < iters; ++i) syscall(SYS_getpid);
  return NULL;
}

static const char* BenchInvalidSyscall(long iters) {
  for (long i = 0; i < iters; ++i) syscall(1000);
  return NULL;
}

static int g_null = -1, g_zero = -1;
static const char* OpenDevices(void) {
  if (g_null < 0) g_null = open("/dev/null", O_RDWR);
  if (g_zero < 0) g_zero = open("/dev/zero", O_RDWR);
  return g_null < 0 || g_zero < 0 ? Fail("open_/dev") : NULL;
}

static const char* BenchReadNull(long iters) {
  const char* e = OpenDevices();
  if (e) return e;
  char c;
  for (long i = 0; i < iters; ++i) read(g_null, &c, 1);
  return NULL;
}
static const char* BenchWriteNull(long iters) {
  const char* e = OpenDevices();
  if (e) return e;
  char c = 0;
  for (long i = 0; i < iters; ++i) write(g_null, &c, 1);
  return NULL;
}
static const char* BenchReadZero(long iters) {
  const char* e = OpenDevices();
  if (e) return e;
  char buf[64];
  for (long i = 0; i < iters; ++i) {
    if (read(g_zero, buf, sizeof(buf)) != sizeof(buf)) return Fail("read");
  }
  return NULL;
}
static const char* BenchWriteZero(long iters) {
  const char* e = OpenDevices();
  if (e) return e;
  char buf[64] = {0};
  for (long i = 0; i < iters; ++i) write(g_zero, buf, sizeof(buf));
  return NULL;
}

// ---- files ---------------------------------------------------------------------------------

static char g_file[300];
static const char* MakeFile(void) {
  if (g_file[0]) return NULL;
  snprintf(g_file, sizeof(g_file), "%s/aramid-bench-file", g_scratch);
  int fd = open(g_file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return Fail("create");
  write(fd, "benchmark\n", 10);
  close(fd);
  return NULL;
}

static const char* BenchOpenClose(long iters) {
  const char* e = MakeFile();
  if (e) return e;
  for (long i = 0; i < iters; ++i) {
    int fd = open(g_file, O_RDONLY);
    if (fd < 0) return Fail("open");
    close(fd);
  }
  return NULL;
}
static const char* BenchStat(long iters) {
  const char* e = MakeFile();
  if (e) return e;
  struct stat st;
  for (long i = 0; i < iters; ++i) {
    if (syscall(SYS_stat, g_file, &st) != 0) return Fail("stat");
  }
  return NULL;
}
static const char* BenchFstat(long iters) {
  const char* e = MakeFile();
  if (e) return e;
  int fd = open(g_file, O_RDONLY);
  struct stat st;
  for (long i = 0; i < iters; ++i) syscall(SYS_fstat, fd, &st);
  close(fd);
  return NULL;
}
// One op: rewind and read a 16-entry directory with getdents64.
static const char* BenchGetdents(long iters) {
  char dir[300];
  snprintf(dir, sizeof(dir), "%s/aramid-bench-dir", g_scratch);
  mkdir(dir, 0755);
  for (int i = 0; i < 16; ++i) {
    char path[340];
    snprintf(path, sizeof(path), "%s/entry-%02d", dir, i);
    close(open(path, O_WRONLY | O_CREAT, 0644));
  }
  int fd = open(dir, O_RDONLY | O_DIRECTORY);
  if (fd < 0) return Fail("open_dir");
  char buf[4096];
  for (long i = 0; i < iters; ++i) {
    lseek(fd, 0, SEEK_SET);
    if (syscall(SYS_getdents64, fd, buf, sizeof(buf)) <= 0) return Fail("getdents64");
  }
  close(fd);
  return NULL;
}

// ---- processes -----------------------------------------------------------------------------

// One op: a one-byte round trip between two processes over two pipes.
static const char* BenchPipePingPong(long iters) {
  int a[2], b[2];
  if (pipe(a) || pipe(b)) return Fail("pipe");
  pid_t child = fork();
  if (child < 0) return Fail("fork");
  if (child == 0) {
    close(a[1]);  // so that the parent's close ends the loop
    close(b[0]);
    char c;
    while (read(a[0], &c, 1) == 1) write(b[1], &c, 1);
    _exit(0);
  }
  char c = 'x';
  for (long i = 0; i < iters; ++i) {
    write(a[1], &c, 1);
    if (read(b[0], &c, 1) != 1) return Fail("read");
  }
  close(a[1]);
  waitpid(child, NULL, 0);
  close(a[0]);
  close(b[0]);
  close(b[1]);
  return NULL;
}

static const char* BenchForkExitWait(long iters) {
  for (long i = 0; i < iters; ++i) {
    pid_t child = fork();
    if (child < 0) return Fail("fork");
    if (child == 0) _exit(0);
    int status;
    if (waitpid(child, &status, 0) != child || !WIFEXITED(status)) return Fail("wait");
  }
  return NULL;
}

// vfork in a function of its own: the child only execs or exits, and the caller's loop
// variables are not live across the vfork.
__attribute__((noinline)) static pid_t Spawn(const char* path, char* const argv[]) {
  static char* envp[] = {NULL};
  pid_t child = vfork();
  if (child == 0) {
    execve(path, argv, envp);
    _exit(127);
  }
  return child;
}

static const char* SpawnWait(const char* path, char* const argv[], long iters) {
  for (long i = 0; i < iters; ++i) {
    pid_t child = Spawn(path, argv);
    if (child < 0) return Fail("vfork");
    int status;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      errno = ENOEXEC;
      return Fail(path);
    }
  }
  return NULL;
}
static const char* BenchVforkExecTrue(long iters) {
  char path[300];
  snprintf(path, sizeof(path), "%s/aramid-true", g_self_dir);
  char* argv[] = {"aramid-true", NULL};
  return SpawnWait(path, argv, iters);
}
static const char* BenchExecBusybox(long iters) {
  char* argv[] = {"true", NULL};
  return SpawnWait("/bin/busybox", argv, iters);
}

// ---- memory --------------------------------------------------------------------------------

static const char* MmapTouch(long iters, size_t pages) {
  for (long i = 0; i < iters; ++i) {
    volatile char* p =
        mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return Fail("mmap");
    for (size_t k = 0; k < pages; ++k) p[k * 4096] = 1;
    munmap((void*)p, pages * 4096);
  }
  return NULL;
}
static const char* BenchMmap1(long iters) { return MmapTouch(iters, 1); }
static const char* BenchMmap64(long iters) { return MmapTouch(iters, 64); }

// One op: one write fault on a fresh anonymous page (mapping and unmapping are outside the
// timed region only in amortised form: 512 pages per mapping).
static const char* BenchPageFault(long iters) {
  const long kChunk = 512;
  for (long done = 0; done < iters; done += kChunk) {
    long n = iters - done < kChunk ? iters - done : kChunk;
    volatile char* p =
        mmap(NULL, (size_t)n * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return Fail("mmap");
    for (long k = 0; k < n; ++k) p[k * 4096] = 1;
    munmap((void*)p, (size_t)n * 4096);
  }
  return NULL;
}

static const char* BenchMprotect(long iters) {
  char* p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return Fail("mmap");
  p[0] = 1;
  for (long i = 0; i < iters; ++i) mprotect(p, 4096, (i & 1) ? PROT_READ | PROT_WRITE : PROT_READ);
  munmap(p, 4096);
  return NULL;
}

// One op: grow the break by a page and shrink it back (two brk calls).
static const char* BenchBrk(long iters) {
  uintptr_t cur = (uintptr_t)syscall(SYS_brk, 0);
  for (long i = 0; i < iters; ++i) {
    if ((uintptr_t)syscall(SYS_brk, cur + 4096) != cur + 4096) return Fail("brk");
    syscall(SYS_brk, cur);
  }
  return NULL;
}

// ---- signals -------------------------------------------------------------------------------

static volatile long g_signals;
static void OnSignal(int sig) {
  (void)sig;
  ++g_signals;
}

static const char* BenchSigaction(long iters) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = OnSignal;
  for (long i = 0; i < iters; ++i) sigaction(SIGUSR1, &sa, NULL);
  return NULL;
}

// One op: kill(self) + delivery + handler + rt_sigreturn.
static const char* BenchSignalRoundTrip(long iters) {
  signal(SIGUSR1, OnSignal);
  pid_t self = getpid();
  long before = g_signals;
  for (long i = 0; i < iters; ++i) syscall(SYS_kill, self, SIGUSR1);
  if (g_signals - before != iters) {
    errno = EINTR;
    return Fail("lost_signals");
  }
  return NULL;
}

// ---- time and scheduling -------------------------------------------------------------------

static const char* BenchClockGettime(long iters) {
  struct timespec ts;
  for (long i = 0; i < iters; ++i) clock_gettime(CLOCK_MONOTONIC, &ts);
  return NULL;
}
static const char* BenchClockGettimeSyscall(long iters) {
  struct timespec ts;
  for (long i = 0; i < iters; ++i) syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
  return NULL;
}
static const char* BenchNanosleep0(long iters) {
  struct timespec zero = {0, 0};
  for (long i = 0; i < iters; ++i) nanosleep(&zero, NULL);
  return NULL;
}
static const char* BenchSchedYield(long iters) {
  for (long i = 0; i < iters; ++i) sched_yield();
  return NULL;
}
static const char* BenchFutexWake(long iters) {
  static int word;
  for (long i = 0; i < iters; ++i)
    syscall(SYS_futex, &word, 1 /* FUTEX_WAKE */ | 128, 1, NULL, NULL, 0);
  return NULL;
}
static const char* BenchEpollWait(long iters) {
  int ep = epoll_create1(0);
  int fds[2];
  if (ep < 0 || pipe(fds) != 0) return Fail("epoll_create1");
  write(fds[1], "x", 1);
  struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 1};
  if (epoll_ctl(ep, EPOLL_CTL_ADD, fds[0], &ev) != 0) return Fail("epoll_ctl");
  struct epoll_event out[4];
  for (long i = 0; i < iters; ++i) {
    if (epoll_wait(ep, out, 4, 0) != 1) return Fail("epoll_wait");
  }
  close(ep);
  close(fds[0]);
  close(fds[1]);
  return NULL;
}

// One op: a one-byte round trip between two processes over a unix stream socketpair.
static const char* BenchSocketPingPong(long iters) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return Fail("socketpair");
  pid_t child = fork();
  if (child < 0) return Fail("fork");
  if (child == 0) {
    close(sv[0]);
    char c;
    while (read(sv[1], &c, 1) == 1) write(sv[1], &c, 1);
    _exit(0);
  }
  close(sv[1]);
  char c = 'x';
  for (long i = 0; i < iters; ++i) {
    write(sv[0], &c, 1);
    if (read(sv[0], &c, 1) != 1) return Fail("read");
  }
  close(sv[0]);
  waitpid(child, NULL, 0);
  return NULL;
}

// ---- the table -----------------------------------------------------------------------------

struct Bench {
  const char* name;
  BenchFn fn;
  const char* what;
};

static const struct Bench kBenches[] = {
    {"getpid", BenchGetpid, "getpid(2)"},
    {"syscall_invalid", BenchInvalidSyscall, "syscall number 1000 (ENOSYS): entry/exit floor"},
    {"read_devnull", BenchReadNull, "read 1 byte from /dev/null"},
    {"write_devnull", BenchWriteNull, "write 1 byte to /dev/null"},
    {"read_devzero", BenchReadZero, "read 64 bytes from /dev/zero"},
    {"write_devzero", BenchWriteZero, "write 64 bytes to /dev/zero"},
    {"open_close", BenchOpenClose, "open+close of a file in /tmp"},
    {"stat", BenchStat, "stat(2) of a file in /tmp"},
    {"fstat", BenchFstat, "fstat(2)"},
    {"getdents64", BenchGetdents, "lseek+getdents64 of a 16-entry directory"},
    {"pipe_pingpong", BenchPipePingPong, "1-byte round trip between two processes over pipes"},
    {"fork_exit_wait", BenchForkExitWait, "fork+_exit+waitpid"},
    {"vfork_exec_true", BenchVforkExecTrue, "vfork+execve of a static true+waitpid"},
    {"exec_busybox", BenchExecBusybox, "vfork+execve of /bin/busybox true+waitpid"},
    {"mmap_touch_munmap_1", BenchMmap1, "mmap+touch+munmap of 1 page"},
    {"mmap_touch_munmap_64", BenchMmap64, "mmap+touch+munmap of 64 pages"},
    {"page_fault", BenchPageFault, "one write fault on a fresh anonymous page"},
    {"mprotect", BenchMprotect, "mprotect of one page"},
    {"brk", BenchBrk, "brk grow by a page and shrink back"},
    {"sigaction", BenchSigaction, "sigaction(2) install"},
    {"signal_roundtrip", BenchSignalRoundTrip, "kill(self)+handler+rt_sigreturn"},
    {"clock_gettime", BenchClockGettime,
     "clock_gettime(CLOCK_MONOTONIC) through libc (vDSO when present)"},
    {"clock_gettime_syscall", BenchClockGettimeSyscall, "clock_gettime as a system call"},
    {"nanosleep0", BenchNanosleep0, "nanosleep of 0 ns"},
    {"sched_yield", BenchSchedYield, "sched_yield(2)"},
    {"futex_wake", BenchFutexWake, "FUTEX_WAKE with no waiter"},
    {"epoll_wait_ready", BenchEpollWait, "epoll_wait with one ready fd"},
    {"socketpair_pingpong", BenchSocketPingPong, "1-byte round trip over a unix socketpair"},
};
enum { kBenchCount = sizeof(kBenches) / sizeof(kBenches[0]) };

static int CompareLL(const void* a, const void* b) {
  long long x = *(const long long*)a, y = *(const long long*)b;
  return x < y ? -1 : x > y;
}

// Runs one benchmark in this (child) process and writes its result line to `out`.
static void Measure(const struct Bench* b, int out, long min_ns, int reps) {
  char line[512];
  const char* err = b->fn(1);  // warm up, and fail fast
  if (err != NULL) {
    dprintf(out, "BENCH-FAIL %s %s\n", b->name, err);
    return;
  }
  long iters = 1;
  for (;;) {
    long long t0 = NowNs();
    err = b->fn(iters);
    long long dt = NowNs() - t0;
    if (err != NULL) {
      dprintf(out, "BENCH-FAIL %s %s\n", b->name, err);
      return;
    }
    if (dt >= min_ns || iters >= (1L << 30)) break;
    // Aim a little past the target so the next try usually suffices.
    long next = dt > 0 ? (long)((double)iters * 1.3 * (double)min_ns / (double)dt) : iters * 10;
    if (next <= iters) next = iters * 2;
    if (next > iters * 100) next = iters * 100;
    iters = next;
  }
  long long samples[64];
  if (reps > 64) reps = 64;
  for (int r = 0; r < reps; ++r) {
    long long t0 = NowNs();
    err = b->fn(iters);
    long long dt = NowNs() - t0;
    if (err != NULL) {
      dprintf(out, "BENCH-FAIL %s %s\n", b->name, err);
      return;
    }
    samples[r] = dt;
  }
  qsort(samples, (size_t)reps, sizeof(samples[0]), CompareLL);
  double median =
      reps % 2 ? (double)samples[reps / 2] : (samples[reps / 2 - 1] + samples[reps / 2]) / 2.0;
  const char* note = "";
  if (strcmp(b->name, "clock_gettime") == 0)
    note = getauxval(AT_SYSINFO_EHDR) ? " note=vdso" : " note=no-vdso";
  snprintf(line, sizeof(line),
           "BENCH %s %.1f\nBENCH-DETAIL %s min=%.1f max=%.1f iters=%ld reps=%d%s\n", b->name,
           median / (double)iters, b->name, (double)samples[0] / (double)iters,
           (double)samples[reps - 1] / (double)iters, iters, reps, note);
  write(out, line, strlen(line));
}

static void RunIsolated(const struct Bench* b, long min_ns, int reps, int timeout_s) {
  printf("BENCH-BEGIN %s\n", b->name);
  fflush(stdout);
  int fds[2];
  if (pipe(fds) != 0) {
    printf("BENCH-FAIL %s harness:pipe\n", b->name);
    return;
  }
  pid_t child = fork();
  if (child < 0) {
    printf("BENCH-FAIL %s harness:fork\n", b->name);
    return;
  }
  if (child == 0) {
    close(fds[0]);
    setpgid(0, 0);
    Measure(b, fds[1], min_ns, reps);
    _exit(0);
  }
  close(fds[1]);
  char buf[1024];
  size_t len = 0;
  long long deadline = NowNs() + (long long)timeout_s * 1000000000LL;
  int timed_out = 0;
  for (;;) {
    long long left_ms = (deadline - NowNs()) / 1000000;
    if (left_ms <= 0) {
      timed_out = 1;
      break;
    }
    struct pollfd p = {fds[0], POLLIN, 0};
    int n = poll(&p, 1, (int)(left_ms > 1000 ? 1000 : left_ms));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) continue;
    ssize_t got = read(fds[0], buf + len, sizeof(buf) - 1 - len);
    if (got <= 0) break;
    len += (size_t)got;
    if (len >= sizeof(buf) - 1) break;
  }
  close(fds[0]);
  if (timed_out) {
    kill(-child, SIGKILL);
    kill(child, SIGKILL);
  }
  int status = 0;
  waitpid(child, &status, 0);
  kill(-child, SIGKILL);  // helpers it left behind
  buf[len] = '\0';
  if (timed_out) {
    printf("BENCH-FAIL %s timeout_after_%ds\n", b->name, timeout_s);
  } else if (WIFSIGNALED(status)) {
    printf("BENCH-FAIL %s killed_by_signal_%d\n", b->name, WTERMSIG(status));
  } else if (len == 0) {
    printf("BENCH-FAIL %s no_result_exit_%d\n", b->name, WEXITSTATUS(status));
  } else {
    fputs(buf, stdout);
  }
  fflush(stdout);
}

int main(int argc, char** argv) {
  long min_ms = 20;
  int reps = 5, timeout_s = 60, list = 0;
  int first_name = argc;
  for (int i = 1; i < argc; ++i) {
    if (strncmp(argv[i], "--min-time-ms=", 14) == 0) {
      min_ms = atol(argv[i] + 14);
    } else if (strncmp(argv[i], "--reps=", 7) == 0) {
      reps = atoi(argv[i] + 7);
    } else if (strncmp(argv[i], "--timeout=", 10) == 0) {
      timeout_s = atoi(argv[i] + 10);
    } else if (strncmp(argv[i], "--scratch=", 10) == 0) {
      snprintf(g_scratch, sizeof(g_scratch), "%s", argv[i] + 10);
    } else if (strcmp(argv[i], "--list") == 0) {
      list = 1;
    } else if (argv[i][0] == '-') {
      fprintf(stderr, "aramid-bench: unknown option %s\n", argv[i]);
      return 2;
    } else {
      first_name = i;
      break;
    }
  }
  if (list) {
    for (int i = 0; i < kBenchCount; ++i) printf("%s\t%s\n", kBenches[i].name, kBenches[i].what);
    return 0;
  }
  snprintf(g_self_dir, sizeof(g_self_dir), "%s", argv[0]);
  char* slash = strrchr(g_self_dir, '/');
  if (slash != NULL) {
    *slash = '\0';
  } else {
    snprintf(g_self_dir, sizeof(g_self_dir), ".");
  }
  if (reps < 1) reps = 1;
  setvbuf(stdout, NULL, _IOLBF, 0);
  signal(SIGPIPE, SIG_IGN);
  for (int i = 0; i < kBenchCount; ++i) {
    int wanted = first_name >= argc;
    for (int k = first_name; k < argc && !wanted; ++k)
      wanted = strcmp(argv[k], kBenches[i].name) == 0;
    if (wanted) RunIsolated(&kBenches[i], min_ms * 1000000L, reps, timeout_s);
  }
  for (int k = first_name; k < argc; ++k) {
    int known = 0;
    for (int i = 0; i < kBenchCount; ++i) known |= strcmp(argv[k], kBenches[i].name) == 0;
    if (!known) printf("BENCH-FAIL %s unknown_benchmark\n", argv[k]);
  }
  printf("BENCH-DONE\n");
  return 0;
}
