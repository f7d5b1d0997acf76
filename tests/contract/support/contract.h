// contract.h: what every contract program includes (tests/contract/programs/*.c).
//
// A contract program checks one area of the Linux ABI and prints a transcript: the calls it
// made and what came back, with errors as symbolic names ("-1 ENOENT"). The transcript must be
// the same on every kernel that implements the ABI, so it never contains anything that varies
// between machines or runs: no PIDs, TIDs, addresses, inode numbers, timings, directory
// sizes or block counts, no pty numbers, no host paths. Print facts ("= 3", "= -1 EBADF",
// "true"), not verdicts: when two kernels disagree, the diff then shows what each did.
//
// stdout is unbuffered (set before main), so output written before a fork is never printed
// twice and a crash loses nothing. A program that forks must make the order of its lines
// deterministic (print from one process at a time, wait before printing).
//
// The batch runner (support/batch.c) starts each program in a fresh scratch directory (its
// cwd, on a tmpfs), in a new session with no controlling terminal, stdin on /dev/null,
// stdout and stderr on one pipe, a fixed environment, umask 022, RLIMIT_NOFILE 1024/4096,
// RLIMIT_CORE 0, and CONTRACT_BIN naming the directory of the contract binaries (for
// contract-helper). It runs as root.
#ifndef ARAMID_TESTS_CONTRACT_CONTRACT_H_
#define ARAMID_TESTS_CONTRACT_CONTRACT_H_

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define T_UNUSED __attribute__((unused))

static const char* const t_errno_names[] = {
    [0] = "OK",
    [EPERM] = "EPERM",
    [ENOENT] = "ENOENT",
    [ESRCH] = "ESRCH",
    [EINTR] = "EINTR",
    [EIO] = "EIO",
    [ENXIO] = "ENXIO",
    [E2BIG] = "E2BIG",
    [ENOEXEC] = "ENOEXEC",
    [EBADF] = "EBADF",
    [ECHILD] = "ECHILD",
    [EAGAIN] = "EAGAIN",
    [ENOMEM] = "ENOMEM",
    [EACCES] = "EACCES",
    [EFAULT] = "EFAULT",
    [ENOTBLK] = "ENOTBLK",
    [EBUSY] = "EBUSY",
    [EEXIST] = "EEXIST",
    [EXDEV] = "EXDEV",
    [ENODEV] = "ENODEV",
    [ENOTDIR] = "ENOTDIR",
    [EISDIR] = "EISDIR",
    [EINVAL] = "EINVAL",
    [ENFILE] = "ENFILE",
    [EMFILE] = "EMFILE",
    [ENOTTY] = "ENOTTY",
    [ETXTBSY] = "ETXTBSY",
    [EFBIG] = "EFBIG",
    [ENOSPC] = "ENOSPC",
    [ESPIPE] = "ESPIPE",
    [EROFS] = "EROFS",
    [EMLINK] = "EMLINK",
    [EPIPE] = "EPIPE",
    [EDOM] = "EDOM",
    [ERANGE] = "ERANGE",
    [EDEADLK] = "EDEADLK",
    [ENAMETOOLONG] = "ENAMETOOLONG",
    [ENOLCK] = "ENOLCK",
    [ENOSYS] = "ENOSYS",
    [ENOTEMPTY] = "ENOTEMPTY",
    [ELOOP] = "ELOOP",
    [ENOMSG] = "ENOMSG",
    [EIDRM] = "EIDRM",
    [ENOSTR] = "ENOSTR",
    [ENODATA] = "ENODATA",
    [ETIME] = "ETIME",
    [EOVERFLOW] = "EOVERFLOW",
    [EBADFD] = "EBADFD",
    [EILSEQ] = "EILSEQ",
    [ENOTSOCK] = "ENOTSOCK",
    [EDESTADDRREQ] = "EDESTADDRREQ",
    [EMSGSIZE] = "EMSGSIZE",
    [EPROTOTYPE] = "EPROTOTYPE",
    [ENOPROTOOPT] = "ENOPROTOOPT",
    [EPROTONOSUPPORT] = "EPROTONOSUPPORT",
    [ESOCKTNOSUPPORT] = "ESOCKTNOSUPPORT",
    [EOPNOTSUPP] = "EOPNOTSUPP",
    [EPFNOSUPPORT] = "EPFNOSUPPORT",
    [EAFNOSUPPORT] = "EAFNOSUPPORT",
    [EADDRINUSE] = "EADDRINUSE",
    [EADDRNOTAVAIL] = "EADDRNOTAVAIL",
    [ENETDOWN] = "ENETDOWN",
    [ENETUNREACH] = "ENETUNREACH",
    [ECONNABORTED] = "ECONNABORTED",
    [ECONNRESET] = "ECONNRESET",
    [ENOBUFS] = "ENOBUFS",
    [EISCONN] = "EISCONN",
    [ENOTCONN] = "ENOTCONN",
    [ESHUTDOWN] = "ESHUTDOWN",
    [ETIMEDOUT] = "ETIMEDOUT",
    [ECONNREFUSED] = "ECONNREFUSED",
    [EALREADY] = "EALREADY",
    [EINPROGRESS] = "EINPROGRESS",
    [ESTALE] = "ESTALE",
    [EDQUOT] = "EDQUOT",
    [ECANCELED] = "ECANCELED",
    [EOWNERDEAD] = "EOWNERDEAD",
    [ENOTRECOVERABLE] = "ENOTRECOVERABLE",
};

// "ENOENT", or "errno 1234" for a value without a name here.
static T_UNUSED const char* t_errname(int e) {
  static char other[32];
  if (e >= 0 && (size_t)e < sizeof(t_errno_names) / sizeof(t_errno_names[0]) &&
      t_errno_names[e] != NULL) {
    return t_errno_names[e];
  }
  snprintf(other, sizeof(other), "errno %d", e);
  return other;
}

// "SIGSEGV", "SIGRTMIN+3", or "signal 99".
static T_UNUSED const char* t_signame(int sig) {
  static const char* const names[] = {
      "0",         "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",   "SIGTRAP", "SIGABRT", "SIGBUS",
      "SIGFPE",    "SIGKILL", "SIGUSR1",   "SIGSEGV", "SIGUSR2",  "SIGPIPE", "SIGALRM", "SIGTERM",
      "SIGSTKFLT", "SIGCHLD", "SIGCONT",   "SIGSTOP", "SIGTSTP",  "SIGTTIN", "SIGTTOU", "SIGURG",
      "SIGXCPU",   "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO",   "SIGPWR",  "SIGSYS"};
  static char other[32];
  if (sig >= 0 && sig < 32) return names[sig];
  if (sig >= 32 && sig <= 64) {
    // musl reserves 32..34 for itself; name by the raw number relative to 32 to stay libc-free.
    snprintf(other, sizeof(other), "SIGRT%d", sig - 32);
    return other;
  }
  snprintf(other, sizeof(other), "signal %d", sig);
  return other;
}

// A wait status in words: "exit 3", "signal SIGKILL", "stopped SIGSTOP", "continued".
static T_UNUSED const char* t_status(int status) {
  static char text[64];
  if (WIFEXITED(status)) {
    snprintf(text, sizeof(text), "exit %d", WEXITSTATUS(status));
  } else if (WIFSIGNALED(status)) {
    snprintf(text, sizeof(text), "signal %s", t_signame(WTERMSIG(status)));
  } else if (WIFSTOPPED(status)) {
    snprintf(text, sizeof(text), "stopped %s", t_signame(WSTOPSIG(status)));
  } else if (WIFCONTINUED(status)) {
    snprintf(text, sizeof(text), "continued");
  } else {
    snprintf(text, sizeof(text), "status %#x", status);
  }
  return text;
}

static T_UNUSED void t_printf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
static T_UNUSED void t_printf(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
}

static T_UNUSED long t_report(const char* text, long ret, int err, int show_value) {
  if (ret < 0 && err != 0) {
    printf("%s = %ld %s\n", text, ret, t_errname(err));
  } else if (show_value || ret < 0) {
    printf("%s = %ld\n", text, ret);
  } else {
    printf("%s = ok\n", text);
  }
  return ret;
}

// T_CALL(expr): runs a call that returns an integer (-1 and errno on failure) and prints
// "expr = value" or "expr = -1 ENAME". Evaluates to the value; errno is kept.
#define T_CALL(expr) T_REPORT_(#expr, expr, 1)
// T_OK(expr): as T_CALL, but prints "ok" for success: for values that vary (PIDs, sizes).
#define T_OK(expr) T_REPORT_(#expr, expr, 0)
#define T_REPORT_(text, expr, show)   \
  ({                                  \
    errno = 0;                        \
    long t_r_ = (long)(expr);         \
    int t_e_ = errno;                 \
    t_report(text, t_r_, t_e_, show); \
    errno = t_e_;                     \
    t_r_;                             \
  })
// T_RAW(expr): a raw syscall(2)-style call whose failure is a negative return with errno set
// (same as T_CALL; named for readability where syscall() is used).
#define T_RAW(expr) T_REPORT_(#expr, expr, 1)
// T_TRUE(cond): prints "cond: true" or "cond: false".
#define T_TRUE(cond) t_printf("%s: %s\n", #cond, (cond) ? "true" : "false")
// T_EQ(a, b): prints "a == b: true/false" and, when false, both values.
#define T_EQ(a, b)                                                    \
  do {                                                                \
    long long t_a_ = (long long)(a), t_b_ = (long long)(b);           \
    if (t_a_ == t_b_) {                                               \
      printf("%s == %s: true\n", #a, #b);                             \
    } else {                                                          \
      printf("%s == %s: false (%lld vs %lld)\n", #a, #b, t_a_, t_b_); \
    }                                                                 \
  } while (0)

// An address that is never mapped (the first page), hidden from the compiler so that it does
// not warn about the deliberate bad pointer: for EFAULT checks.
// Uses at least `ms` milliseconds of CPU time. The CPU-time clock is read by a system call,
// so the time accrues in hostsim too (which counts CPU time at traps).
static T_UNUSED void t_burn_cpu_ms(long ms) {
  struct timespec start, now;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &start);
  do {
    for (volatile int i = 0; i < 100000; ++i) {
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  } while ((now.tv_sec - start.tv_sec) * 1000000000LL + (now.tv_nsec - start.tv_nsec) <
           ms * 1000000LL);
}

__attribute__((noinline)) static T_UNUSED void* t_bad_ptr_(void) {
  static volatile uintptr_t address = 8;
  return (void*)address;
}
#define T_BAD_PTR (t_bad_ptr_())

// Exits the program with a message when a step that the transcript depends on failed in a way
// the program did not expect (e.g. fork), so the diff points at it.
#define T_REQUIRE(cond)                                             \
  do {                                                              \
    if (!(cond)) {                                                  \
      printf("REQUIRE FAILED: %s (%s)\n", #cond, t_errname(errno)); \
      exit(99);                                                     \
    }                                                               \
  } while (0)

// Waits for `pid` and prints "<what>: exit N" / "signal S". Returns the raw status.
static T_UNUSED int t_wait(pid_t pid, const char* what) {
  int status = 0;
  pid_t r;
  do {
    r = waitpid(pid, &status, 0);
  } while (r < 0 && errno == EINTR);
  if (r < 0) {
    printf("%s: waitpid failed %s\n", what, t_errname(errno));
    return -1;
  }
  printf("%s: %s\n", what, t_status(status));
  return status;
}

// Forks; the child runs fn(arg) and exits with its return value. Returns the child's pid.
static T_UNUSED pid_t t_fork(int (*fn)(void*), void* arg) {
  pid_t pid = fork();
  T_REQUIRE(pid >= 0);
  if (pid == 0) _exit(fn(arg));
  return pid;
}

// Writes or reads exactly `n` bytes, retrying short transfers and EINTR; -1 on error or EOF.
static T_UNUSED int t_write_all(int fd, const void* buf, size_t n) {
  const char* p = (const char*)buf;
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}
static T_UNUSED int t_read_all(int fd, void* buf, size_t n) {
  char* p = (char*)buf;
  while (n > 0) {
    ssize_t r = read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    p += r;
    n -= (size_t)r;
  }
  return 0;
}

// Writes a whole file (created or truncated, mode 0644); exits the program on failure.
static T_UNUSED void t_make_file(const char* path, const char* content) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  T_REQUIRE(fd >= 0);
  T_REQUIRE(t_write_all(fd, content, strlen(content)) == 0);
  close(fd);
}

// Prints `n` bytes as an escaped C string: "abc\n\x01".
static T_UNUSED void t_print_bytes(const char* label, const void* buf, long n) {
  const unsigned char* p = (const unsigned char*)buf;
  printf("%s: \"", label);
  for (long i = 0; i < n; ++i) {
    unsigned char c = p[i];
    if (c == '\n') {
      printf("\\n");
    } else if (c == '\r') {
      printf("\\r");
    } else if (c == '\t') {
      printf("\\t");
    } else if (c == '"' || c == '\\') {
      printf("\\%c", c);
    } else if (c < 32 || c >= 127) {
      printf("\\x%02x", c);
    } else {
      putchar(c);
    }
  }
  printf("\" (%ld bytes)\n", n);
}

// Prints the start of a file as t_print_bytes does ("path: \"...\" (n bytes)"), or
// "path: -1 ENAME" when it cannot be opened.
static T_UNUSED void t_print_file(const char* path) {
  char buf[64];
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    printf("%s: -1 %s\n", path, t_errname(errno));
    return;
  }
  long n = read(fd, buf, sizeof(buf));
  t_print_bytes(path, buf, n);
  close(fd);
}

// The directory holding the contract binaries (contract-helper); exits when unset.
static T_UNUSED const char* t_bin_dir(void) {
  const char* dir = getenv("CONTRACT_BIN");
  if (dir == NULL) {
    printf("REQUIRE FAILED: CONTRACT_BIN is not set (run through contract-batch)\n");
    exit(99);
  }
  return dir;
}

// "<CONTRACT_BIN>/contract-helper" in a static buffer.
static T_UNUSED const char* t_helper_path(void) {
  static char path[4096];
  snprintf(path, sizeof(path), "%s/contract-helper", t_bin_dir());
  return path;
}

__attribute__((constructor)) static void t_unbuffered_stdout(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
}

#endif  // ARAMID_TESTS_CONTRACT_CONTRACT_H_
