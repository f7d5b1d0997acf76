#include "sim/native_runner.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <set>

#include "hal/hostsim/machine.h"
#include "kernel/debug/log.h"
#include "kernel/fs/initramfs/initramfs.h"
#include "kernel/fs/open.h"
#include "kernel/mm/phys_init.h"
#include "kernel/proc/init.h"
#include "kernel/proc/pid_table.h"
#include "kernel/proc/process.h"
#include "kernel/random/random.h"
#include "kernel/syscalls/dispatch.h"
#include "sim/host_file.h"
#include "sim/machine.h"
#include "sim/rootfs_archive.h"

#ifndef ARAMID_ALPINE_TARBALL
#error "sim/CMakeLists.txt defines ARAMID_ALPINE_TARBALL from images/alpine.pin"
#endif

namespace sim {
namespace {

namespace lib = kernel::lib;

constexpr char kGuestInit[] = "/aramid/init";

// Only one session exists (the machine is a singleton); the kernel's callbacks reach it here.
struct Globals {
  bool booted = false;
  std::set<std::string> root_names;  // normalised names in the root archive
  int trace_fd = 2;
  int stdio[3] = {0, 1, 2};
  // The current run.
  bool running = false;
  std::optional<kernel::Errno> exec_error;  // BeforeExec's lookup of PID 1's program
  std::string pid1_path;
} g;

void WriteTrace(const char* line, kernel::usize n) {
  while (n > 0) {
    ssize_t w = ::write(g.trace_fd, line, n);
    if (w <= 0) return;
    line += w;
    n -= static_cast<kernel::usize>(w);
  }
}

void OnPowerExit(int status) {
  kernel::proc::Process* init = kernel::proc::FindProcess(1);
  Machine* m = Machine::current();
  if (m == nullptr || !g.running || init == nullptr || !init->exited()) {
    // Not PID 1's exit: StartInit could not exec PID 1's program (its task is gone without an
    // exit status, so the machine cannot be torn down and reused), or the kernel panicked.
    // Neither can go on.
    int code = kStatusKernelStopped;
    if (g.running && status == kernel::proc::kExitNoInit) {
      bool missing =
          g.exec_error == kernel::Errno::kENOENT || g.exec_error == kernel::Errno::kENOTDIR;
      code = missing ? kStatusNotFound : kStatusCannotExecute;
      std::fprintf(stderr, "aramid-sim: %s: %s\n", g.pid1_path.c_str(),
                   missing                    ? "not found"
                   : g.exec_error.has_value() ? kernel::ErrnoName(*g.exec_error)
                                              : "cannot execute (see the kernel log)");
    } else {
      std::fprintf(stderr, "aramid-sim: the kernel stopped the machine (status %d)\n", status);
    }
    std::fflush(nullptr);
    std::_Exit(code);
  }
  m->OnPowerOff(status);
}

// Runs in PID 1 before its execve: the host's stdio replaces /dev/console, and the program is
// looked up the way execve will, so that a missing one gives 127 and not "no init".
kernel::Result<void> BeforeExec(kernel::proc::Task& init, void* arg) {
  TRY(InstallHostStdio(init, g.stdio));
  (void)arg;
  const std::string& path = g.pid1_path;
  auto file = kernel::fs::OpenExec(kernel::fs::Actor::Of(init), kernel::fs::kAtFdCwd,
                                   lib::string_view(path.data(), path.size()), 0);
  if (file.is_error()) {
    g.exec_error = file.error();
    return file.error();
  }
  return kernel::Ok();
}

std::string AbsoluteHostPath(const std::string& p) {
  std::error_code ec;
  auto abs = std::filesystem::absolute(p, ec);
  return ec ? p : abs.lexically_normal().string();
}

lib::Vector<lib::String> ToKernel(const std::vector<std::string>& v, bool* ok) {
  lib::Vector<lib::String> out;
  for (const std::string& s : v) {
    auto str = lib::String::TryFrom(lib::string_view(s.data(), s.size()));
    if (str.is_error() || out.TryPush(str.release_value()).is_error()) *ok = false;
  }
  return out;
}

}  // namespace

std::string NativeSession::AlpineTarballPath() {
  std::string dir;
  if (const char* c = std::getenv("ARAMID_CACHE"); c != nullptr && *c != '\0') {
    dir = c;
  } else if (const char* home = std::getenv("HOME"); home != nullptr) {
    dir = std::string(home) + "/.cache/aramid";
  } else {
    dir = ".cache/aramid";
  }
  return dir + "/" + ARAMID_ALPINE_TARBALL;
}

std::unique_ptr<NativeSession> NativeSession::Create(const NativeSessionOptions& options,
                                                     std::string* error) {
  if (g.booted) {
    *error = "only one native session per process";
    return nullptr;
  }
  // The root file system, as a cpio archive for the kernel's initramfs unpacker.
  CpioWriter cpio;
  std::string program = options.program;
  if (options.rootfs == "alpine") {
    std::string tarball = AlpineTarballPath();
    if (::access(tarball.c_str(), R_OK) != 0) {
      *error = "the Alpine minirootfs " + tarball +
               " is missing: run `tools/aramid setup` (or copy it from ../shared/rootfs/), "
               "or set ARAMID_CACHE";
      return nullptr;
    }
    if (!AddTarFile(cpio, tarball, error)) return nullptr;
  } else if (!options.rootfs.empty()) {
    if (!AddHostDirectory(cpio, options.rootfs, error)) return nullptr;
  }
  if (!program.empty() && program.find('/') != std::string::npos) {
    // A host program is copied in when the root lacks the directory it lives in (the build
    // tree, /tmp/..., a home directory); a file missing from one of the root's own
    // directories (/usr/bin/...) stays missing, as it would be on the guest.
    std::string abs = AbsoluteHostPath(program);
    std::string dir = CpioWriter::Normalize(abs);
    dir = dir.substr(0, dir.rfind('/') == std::string::npos ? 0 : dir.rfind('/'));
    bool outside = options.rootfs.empty() || program[0] != '/' || !cpio.Has(dir);
    if (outside && ::access(abs.c_str(), F_OK) == 0 && !cpio.Has(abs)) {
      if (!AddHostFile(cpio, abs, abs, error)) return nullptr;
    }
  }
  if (!options.init.empty() && !AddHostFile(cpio, options.init, kGuestInit, error)) {
    return nullptr;
  }
  for (const auto& [host, guest] : options.extra_files) {
    if (!AddHostFile(cpio, host, guest, error)) return nullptr;
  }
  for (const char* dir : {"dev", "proc", "sys", "tmp"}) {
    if (!cpio.Has(dir)) cpio.AddDirectory(dir, std::string_view(dir) == "tmp" ? 01777 : 0755);
  }
  std::set<std::string> names = cpio.names();
  std::vector<uint8_t> archive = cpio.Finish();

  // The machine. Kernel log lines go to stderr; PID 1's exit ends the run.
  hal::hostsim::MachineConfig config;
  config.memory_bytes = options.memory_bytes;
  config.ns_per_trap = options.native.ns_per_trap;
  config.console_output = [](unsigned, std::string_view bytes) {
    (void)!::write(STDERR_FILENO, bytes.data(), bytes.size());
  };
  config.on_exit = &OnPowerExit;
  hal::hostsim::ConfigureMachine(std::move(config));
  kernel::log::SetLevel(options.log_level);
  kernel::mm::InitPhysicalMemory();
  g.booted = true;

  std::unique_ptr<NativeSession> session(new NativeSession);
  session->native_ = hal::hostsim::native::NativeUserMode::Create(options.native, error);
  if (session->native_ == nullptr) return nullptr;

  // The kernel unpacks the archive in a task's context (allocations may sleep): the first
  // Machine's driver does it.
  {
    Machine m;
    auto mounted = kernel::fs::MountRootFromInitramfs(
        lib::span<const kernel::u8>(archive.data(), archive.size()));
    // The runner plays the part of a test init: the programs find /dev, /proc and /sys.
    if (mounted.ok()) mounted = kernel::fs::MountInitFileSystems();
    if (mounted.is_error()) {
      *error = std::string("the kernel could not unpack the root file system: ") +
               kernel::ErrnoName(mounted.error());
      return nullptr;
    }
  }
  g.root_names = std::move(names);
  g.trace_fd = options.trace_fd;
  for (int i = 0; i < 3; ++i) g.stdio[i] = options.stdio[i];
  kernel::syscalls::SetTrace(options.trace_syscalls, &WriteTrace);
  session->seed_ = options.seed;
  session->use_init_ = !options.init.empty();
  // A reader that went away is EPIPE for the program, not the simulator's death.
  ::signal(SIGPIPE, SIG_IGN);
  return session;
}

NativeSession::~NativeSession() { native_.reset(); }

int NativeSession::Run(const std::vector<std::string>& argv, const std::vector<std::string>& envp) {
  last_error_.clear();
  if (argv.empty()) {
    last_error_ = "no program";
    return kStatusNotFound;
  }
  std::vector<std::string> pid1_argv = argv;
  std::string& program = pid1_argv[0];
  if (program.find('/') == std::string::npos) {
    if (!use_init_) {  // the test init looks bare names up itself (execvp)
      for (const char* dir : {"bin", "usr/bin", "sbin", "usr/sbin"}) {
        if (g.root_names.count(std::string(dir) + "/" + program) != 0) {
          program = std::string("/").append(dir).append("/").append(program);
          break;
        }
      }
    }
  } else if (program[0] != '/') {
    program = AbsoluteHostPath(program);  // a host file the session copied in at its absolute path
  }
  if (use_init_) pid1_argv.insert(pid1_argv.begin(), {kGuestInit, "--"});
  g.pid1_path = pid1_argv[0];
  std::vector<std::string> env = envp;
  if (env.empty()) {
    env = {"HOME=/", "TERM=linux",
           "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"};
  }

  kernel::random::Seed(seed_);
  g.exec_error.reset();
  std::optional<int> status;
  {
    Machine m;
    native_->Install();
    bool ok = true;
    kernel::proc::InitSpec spec;
    auto p = lib::String::TryFrom(lib::string_view(g.pid1_path.data(), g.pid1_path.size()));
    ok = p.ok();
    if (ok) spec.path = p.release_value();
    spec.argv = ToKernel(pid1_argv, &ok);
    spec.envp = ToKernel(env, &ok);
    spec.before_exec = &BeforeExec;
    if (!ok) {
      last_error_ = "out of memory for the arguments";
      status = kStatusKernelStopped;
    } else {
      g.running = true;
      auto init = kernel::proc::StartInit(lib::move(spec));
      if (init.is_error()) {
        last_error_ = std::string("cannot start PID 1: ") + kernel::ErrnoName(init.error());
        status = kStatusKernelStopped;
      } else {
        m.RunUntilPowerOff();
        status = m.power_off_status();
        if (!status.has_value()) {
          last_error_ = "every task is blocked and PID 1 has not exited (deadlock)";
          status = kStatusKernelStopped;
        }
      }
    }
    // ~Machine kills whatever is left (orphans, daemons) and lets it die, with native mode
    // still installed so that their stubs go too.
  }
  g.running = false;
  native_->Uninstall();
  return *status;
}

}  // namespace sim
