// aramid-test-init: PID 1 for `tools/aramid exec`, on Aramid and on Linux alike.
//
// It mounts what a Linux program expects (proc, sys, devtmpfs) when the kernel has them, runs
// one program as its child with stdin/stdout/stderr on the user console, waits for it, and
// reports the program's status to the harness:
//   - when ioperm(2) works (Linux as the reference): the line "ARAMID-EXIT-STATUS <n>" on QEMU's
//     debugcon (port 0xe9) carries the whole status, then <n> written to QEMU's isa-debug-exit
//     (port 0xf4) ends the machine (QEMU exits with (n << 1) | 1, so only 7 bits survive there);
//   - otherwise it exits with the status, and the kernel turns PID 1's exit into
//     hal::Power::Exit(status), which writes the same isa-debug-exit port.
// Status: the exit code, or 128 + N when the program was killed by signal N (as shells do);
// 127 when the program does not exist, 126 when it cannot be executed.
//
// Usage: aramid-test-init [--console=DEV] [--chdir=DIR] [--] PROGRAM [ARGS...]
// With no PROGRAM on its command line (Linux passes the words after `--` on the kernel command
// line; nothing else is needed), it reads the same words from /aramid/exec.args, separated by
// NUL bytes: that is how `tools/aramid exec` passes arguments of any content. --console names
// the device that becomes the program's stdio and controlling terminal; without it the program
// inherits init's own stdio (the kernel's /dev/console). init's own messages go to its original
// stderr, which the harness routes to the kernel log, never to the program's console.
//
// Static musl: `musl-gcc -static` (built by tests/init/CMakeLists.txt).
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

enum {
  kMaxWords = 256,
  kArgsFileMax = 64 * 1024,
  kDebugconPort = 0xe9,
  kDebugExitPort = 0xf4,
};

static const char kArgsFile[] = "/aramid/exec.args";

// Diagnostics go to init's original stderr (the kernel's console = the kernel log), never to
// the program's console: `exec` must print only what the program printed.
static void Say(const char* fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n >= sizeof(buf)) n = sizeof(buf) - 1;
  ssize_t ignored = write(2, buf, (size_t)n);
  (void)ignored;
}

// Mounts `type` at `target` unless the kernel says no; a missing filesystem is not an error
// here (the program under test may not need it), only a line in the kernel log.
static void TryMount(const char* source, const char* target, const char* type, unsigned long flags,
                     const char* data) {
  mkdir(target, 0755);
  if (mount(source, target, type, flags, data) != 0 && errno != EBUSY) {
    Say("aramid-test-init: mount %s on %s: %s\n", type, target, strerror(errno));
  }
}

// True when `path` is a directory with no entries but . and .. (or does not exist yet).
static int DirIsEmpty(const char* path) {
  DIR* d = opendir(path);
  if (d == NULL) return 1;
  int empty = 1;
  for (struct dirent* e; empty && (e = readdir(d)) != NULL;) {
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) empty = 0;
  }
  closedir(d);
  return empty;
}

// Reads /aramid/exec.args into `words`; returns the number of words or -1.
static int ReadArgsFile(char* buffer, size_t size, char** words, int max_words) {
  int fd = open(kArgsFile, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  size_t len = 0;
  for (;;) {
    ssize_t n = read(fd, buffer + len, size - 1 - len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    len += (size_t)n;
    if (len == size - 1) break;
  }
  close(fd);
  buffer[len] = '\0';
  int count = 0;
  size_t start = 0;
  for (size_t i = 0; i < len && count < max_words - 1; ++i) {
    if (buffer[i] == '\0') {
      words[count++] = buffer + start;
      start = i + 1;
    }
  }
  if (start < len && count < max_words - 1) words[count++] = buffer + start;
  words[count] = NULL;
  return count;
}

struct Options {
  const char* console;
  const char* chdir;
  char** argv;  // PROGRAM ARGS..., NULL-terminated
};

// Parses [--console=DEV] [--chdir=DIR] [--] PROGRAM ARGS...; false when there is no PROGRAM.
static int ParseWords(char** words, struct Options* out) {
  int i = 0;
  for (; words[i] != NULL; ++i) {
    if (strncmp(words[i], "--console=", 10) == 0) {
      out->console = words[i] + 10;
    } else if (strncmp(words[i], "--chdir=", 8) == 0) {
      out->chdir = words[i] + 8;
    } else if (strcmp(words[i], "--") == 0) {
      ++i;
      break;
    } else {
      break;
    }
  }
  out->argv = words + i;
  return words[i] != NULL;
}

// The program's terminal passes bytes through unchanged (no "\n" -> "\r\n", no echo of
// anything the harness might send), so the harness sees exactly what the program wrote.
static void MakeTransparent(int fd) {
  struct termios t;
  if (tcgetattr(fd, &t) != 0) return;  // not a terminal (yet): nothing to undo
  t.c_oflag &= ~(tcflag_t)OPOST;
  t.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL | ECHOCTL);
  t.c_iflag &= ~(tcflag_t)(ICRNL | IXON);
  tcsetattr(fd, TCSANOW, &t);
}

static _Noreturn void RunChild(const struct Options* opt) {
  setsid();
  if (opt->console != NULL) {
    int fd = open(opt->console, O_RDWR);  // a session leader's first tty becomes its ctty
    if (fd < 0) {
      Say("aramid-test-init: open %s: %s\n", opt->console, strerror(errno));
      _exit(126);
    }
    ioctl(fd, TIOCSCTTY, 0);
    for (int target = 0; target < 3; ++target) {
      if (fd != target) dup2(fd, target);
    }
    if (fd > 2) close(fd);
  }
  if (opt->chdir != NULL && chdir(opt->chdir) != 0) {
    Say("aramid-test-init: chdir %s: %s\n", opt->chdir, strerror(errno));
    _exit(126);
  }
  // A fixed environment, the same on every kernel; execvp searches this PATH (the PATH of
  // the caller, not of the envp given to execvpe [man 3 exec]).
  clearenv();
  setenv("PATH", "/aramid/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 1);
  setenv("HOME", "/root", 1);
  setenv("TERM", "vt100", 1);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  execvp(opt->argv[0], opt->argv);
  int error = errno;
  // The program's own stderr is the right place: this is the program failing to start.
  dprintf(2, "aramid-test-init: cannot execute %s: %s\n", opt->argv[0], strerror(error));
  _exit(error == ENOENT ? 127 : 126);
}

// Waits for `child`, reaping any other process that ends meanwhile (PID 1 adopts orphans).
static int WaitFor(pid_t child) {
  for (;;) {
    int status;
    pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      Say("aramid-test-init: waitpid: %s\n", strerror(errno));
      return 125;
    }
    if (pid != child) continue;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  }
}

static void DebugconWrite(const char* s) {
  for (; *s; ++s) outb((unsigned char)*s, kDebugconPort);
}

static _Noreturn void Report(int status, int console_fd) {
  // Everything the program wrote must have left the UART before the machine stops.
  if (console_fd >= 0) tcdrain(console_fd);
  sync();
  if (ioperm(kDebugconPort, 1, 1) == 0 && ioperm(kDebugExitPort, 4, 1) == 0) {
    char line[48];
    snprintf(line, sizeof(line), "ARAMID-EXIT-STATUS %d\n", status);
    DebugconWrite(line);
    outl((unsigned)status, kDebugExitPort);
    // Still here: no isa-debug-exit device (QEMU started by hand, or a real machine).
    Say("aramid-test-init: program exited with status %d; powering off\n", status);
    reboot(RB_POWER_OFF);
  }
  // No port access (Aramid): the kernel reports PID 1's exit status to the harness.
  exit(status);
}

int main(int argc, char** argv) {
  // PID 1 never gets signals it did not ask for, but be explicit: a stray SIGINT from the
  // console must not end the test harness's init.
  signal(SIGINT, SIG_IGN);
  signal(SIGTERM, SIG_IGN);
  signal(SIGHUP, SIG_IGN);

  struct Options opt = {0};
  static char args_buffer[kArgsFileMax];
  static char* words[kMaxWords];
  if (!ParseWords(argv + (argc > 0 ? 1 : 0), &opt)) {
    struct Options from_file = {0};
    if (ReadArgsFile(args_buffer, sizeof(args_buffer), words, kMaxWords) < 0 ||
        !ParseWords(words, &from_file)) {
      Say("aramid-test-init: no program to run: give it after `--` on the kernel command line "
          "or in %s\n",
          kArgsFile);
      Report(126, -1);
    }
    if (opt.console == NULL) opt.console = from_file.console;
    if (opt.chdir == NULL) opt.chdir = from_file.chdir;
    opt.argv = from_file.argv;
  }

  if (getpid() == 1) {
    TryMount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    TryMount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    TryMount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
    // Not over files already there: hostsim's runner puts a host program at its absolute
    // path, which may well be under /tmp.
    if (DirIsEmpty("/tmp")) TryMount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
  }

  int console_fd = opt.console != NULL ? open(opt.console, O_RDWR | O_NOCTTY | O_CLOEXEC) : 1;
  if (console_fd >= 0) MakeTransparent(console_fd);

  pid_t child = fork();
  if (child < 0) {
    Say("aramid-test-init: fork: %s\n", strerror(errno));
    Report(125, console_fd);
  }
  if (child == 0) RunChild(&opt);
  Report(WaitFor(child), console_fd);
}
