// aramid-sim: runs a Linux program on the kernel inside this process (hostsim native mode).
//
//   aramid-sim [--rootfs alpine|DIR] [--trace syscall] [--trace-output FILE] [--seed N]
//              [--timeout S] [--pid1] [--verbose] -- PROGRAM [ARGS...]
//
// PROGRAM runs as the child of PID 1, the test init of `tools/aramid exec`
// (tests/init/aramid-test-init.c, installed as /aramid/init), so that its status (a signal's
// included) comes back as on a Linux machine; --pid1 makes PROGRAM itself PID 1 (which, as
// init, ignores signals it has no handler for). Its stdin, stdout and stderr are this
// process's; the kernel log and --trace lines go to stderr (or the trace to --trace-output).
//
// Exit status: the program's (128+N for signal N), 124 on timeout, 125 when the kernel stopped
// without one, 126 when PROGRAM cannot be executed, 127 when it does not exist; 2 for a bad
// command line or a root file system that cannot be built. tools/aramid sim runs this.
#include <fcntl.h>
#include <signal.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "sim/native_runner.h"

#ifndef ARAMID_TEST_INIT
#error "sim/CMakeLists.txt defines ARAMID_TEST_INIT"
#endif

namespace {

constexpr int kStatusUsage = 2;
constexpr int kStatusTimeout = 124;

constexpr char kUsage[] =
    "usage: aramid-sim [--rootfs alpine|DIR] [--trace syscall] [--trace-output FILE]\n"
    "                  [--seed N] [--timeout SECONDS] [--pid1] [--verbose] -- PROGRAM [ARGS...]\n";

char g_timeout_message[128];

void OnTimeout(int) {
  // Async-signal-safe: write and _exit. The stubs die with this process (PR_SET_PDEATHSIG).
  (void)!::write(STDERR_FILENO, g_timeout_message, std::strlen(g_timeout_message));
  ::_exit(kStatusTimeout);
}

int Usage(const char* problem) {
  if (problem != nullptr) std::fprintf(stderr, "aramid-sim: %s\n", problem);
  std::fputs(kUsage, stderr);
  return kStatusUsage;
}

bool ParseU64(const char* s, uint64_t* out) {
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(s, &end, 0);
  if (errno != 0 || end == s || *end != '\0') return false;
  *out = v;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  sim::NativeSessionOptions options;
  double timeout_s = 0;
  std::vector<std::string> program;
  std::string trace_output;
  bool pid1 = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* name) -> const char* {
      if (i + 1 >= argc) return nullptr;
      (void)name;
      return argv[++i];
    };
    if (a == "--") {
      for (++i; i < argc; ++i) program.emplace_back(argv[i]);
      break;
    } else if (a == "-h" || a == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (a == "--rootfs") {
      const char* v = value("--rootfs");
      if (v == nullptr) return Usage("--rootfs needs a value");
      options.rootfs = v;
    } else if (a == "--trace") {
      const char* v = value("--trace");
      if (v == nullptr || std::strcmp(v, "syscall") != 0) return Usage("--trace takes `syscall`");
      options.trace_syscalls = true;
    } else if (a == "--trace-output") {
      const char* v = value("--trace-output");
      if (v == nullptr) return Usage("--trace-output needs a file");
      trace_output = v;
    } else if (a == "--seed") {
      const char* v = value("--seed");
      if (v == nullptr || !ParseU64(v, &options.seed)) return Usage("--seed takes a number");
    } else if (a == "--timeout") {
      const char* v = value("--timeout");
      char* end = nullptr;
      timeout_s = v != nullptr ? std::strtod(v, &end) : -1;
      if (v == nullptr || *end != '\0' || timeout_s < 0) return Usage("--timeout takes seconds");
    } else if (a == "--pid1") {
      pid1 = true;
    } else if (a == "--verbose") {
      options.log_level = 7;
    } else {
      return Usage(("unknown option " + a).c_str());
    }
  }
  if (program.empty()) return Usage("no program (give it after --)");
  if (!trace_output.empty()) {
    int fd = ::open(trace_output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
      std::fprintf(stderr, "aramid-sim: %s: %s\n", trace_output.c_str(), std::strerror(errno));
      return kStatusUsage;
    }
    options.trace_fd = fd;
  }
  options.program = program[0];
  if (!pid1) {
    options.init = ARAMID_TEST_INIT;
    if (::access(options.init.c_str(), R_OK) != 0) {
      std::fprintf(stderr,
                   "aramid-sim: the test init %s is missing (build the guest_init target) "
                   "or use --pid1\n",
                   options.init.c_str());
      return kStatusUsage;
    }
  }

  if (timeout_s > 0) {
    std::snprintf(g_timeout_message, sizeof(g_timeout_message),
                  "aramid-sim: timed out after %g s\n", timeout_s);
    struct sigaction sa {};
    sa.sa_handler = &OnTimeout;
    sigaction(SIGALRM, &sa, nullptr);
    itimerval t{};
    t.it_value.tv_sec = static_cast<time_t>(timeout_s);
    t.it_value.tv_usec =
        static_cast<suseconds_t>((timeout_s - static_cast<double>(t.it_value.tv_sec)) * 1e6);
    if (t.it_value.tv_sec == 0 && t.it_value.tv_usec == 0) t.it_value.tv_usec = 1;
    setitimer(ITIMER_REAL, &t, nullptr);
  }

  std::string error;
  auto session = sim::NativeSession::Create(options, &error);
  if (session == nullptr) {
    std::fprintf(stderr, "aramid-sim: %s\n", error.c_str());
    return kStatusUsage;
  }
  int status = session->Run(program);
  if (!session->last_error().empty()) {
    std::fprintf(stderr, "aramid-sim: %s\n", session->last_error().c_str());
  }
  std::fflush(nullptr);
  return status;
}
