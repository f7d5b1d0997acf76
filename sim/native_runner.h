#pragma once
// The native runner: real Linux programs on the kernel inside this process (hostsim native
// mode, issue #6). A session configures the machine and mounts a root file system once; each
// Run starts PID 1 with a program, connects its fds 0-2 to the host's, lets the kernel run
// until PID 1 exits (or the kernel stops the machine) and returns the exit status with
// `tools/aramid exec`'s contract:
//   the program's status; 128+N when signal N killed it; 125 when the kernel panicked or
//   stopped without a status; 126 when the program could not be executed; 127 when it does
//   not exist. (124, the timeout, is the command-line tool's: sim/aramid_sim_main.cc.)
//
//   sim::NativeSessionOptions o;
//   o.rootfs = "alpine";
//   std::string error;
//   auto session = sim::NativeSession::Create(o, &error);
//   int status = session->Run({"/bin/sh", "-c", "echo hello | cat"});
//
// One session per process (the hostsim machine is a singleton); runs use the same root, so
// files one run writes are there for the next. Host code.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "hal/hostsim/native/native_user_mode.h"

namespace sim {

struct NativeSessionOptions {
  /// "" (a root with just the program's host file), "alpine" (the pinned minirootfs from
  /// $ARAMID_CACHE, default ~/.cache/aramid), or a host directory copied in.
  std::string rootfs;
  /// PID 1: a host program that runs the program as its child and exits with its status
  /// (tests/init/aramid-test-init's `INIT -- PROGRAM ARGS...`), installed as /aramid/init.
  /// Empty: the program itself is PID 1 (and, as init, ignores signals it has no handler for).
  std::string init;
  /// Host files to add to the root: {host path, guest path}.
  std::vector<std::pair<std::string, std::string>> extra_files;
  /// The program's host path: with rootfs "" the root holds just this file (at the same
  /// absolute path); otherwise it is copied in when it names a host file outside the root
  /// (a top-level directory the root lacks, such as the build tree).
  std::string program;
  /// The host fds that become PID 1's fds 0, 1 and 2 (benchmarks pass /dev/null).
  int stdio[3] = {0, 1, 2};
  /// Seeds the kernel's random bytes (AT_RANDOM, getrandom, /dev/urandom).
  uint64_t seed = 0;
  /// Print one strace-style line per system call (the kernel's formatter) to `trace_fd`.
  bool trace_syscalls = false;
  int trace_fd = 2;
  /// The kernel log level (kernel::log::Level): errors and worse by default.
  int log_level = 3;
  uint64_t memory_bytes = 1ull << 30;
  hal::hostsim::native::NativeOptions native;
};

/// The exit statuses of a run that did not give the program's own.
inline constexpr int kStatusKernelStopped = 125;
inline constexpr int kStatusCannotExecute = 126;
inline constexpr int kStatusNotFound = 127;

class NativeSession {
 public:
  /// Null with `error` set when the root file system cannot be built (a missing Alpine
  /// tarball says where it was looked for) or the host cannot run native mode.
  static std::unique_ptr<NativeSession> Create(const NativeSessionOptions& options,
                                               std::string* error);
  ~NativeSession();
  NativeSession(const NativeSession&) = delete;
  NativeSession& operator=(const NativeSession&) = delete;

  /// Runs argv[0] (a path in the guest; a bare name is looked up in the PATH) with `argv` as
  /// PID 1's child (or as PID 1 without `init`), fds 0-2 the host's. PID 1's environment is
  /// `envp` (empty: HOME=/, TERM=linux and a standard PATH); the test init gives the program
  /// its own (PATH with /aramid/bin, HOME=/root, TERM=vt100). Returns the exit status (see
  /// above). When PID 1 itself cannot be executed the process exits (126/127): the kernel
  /// cannot be reused after that.
  int Run(const std::vector<std::string>& argv, const std::vector<std::string>& envp = {});

  /// The native mode of the session (statistics, live stubs).
  hal::hostsim::native::NativeUserMode& native() { return *native_; }
  /// Why the last Run did not return the program's status, if it did not.
  const std::string& last_error() const { return last_error_; }

  /// Where the pinned Alpine minirootfs is expected ($ARAMID_CACHE or ~/.cache/aramid, file
  /// name from images/alpine.pin).
  static std::string AlpineTarballPath();

 private:
  NativeSession() = default;

  std::unique_ptr<hal::hostsim::native::NativeUserMode> native_;
  std::string last_error_;
  uint64_t seed_ = 0;
  bool use_init_ = false;
};

}  // namespace sim
