#pragma once
/// PID 1: the first user process, started by the kernel the way Linux's kernel_init does:
/// root and cwd at the initramfs root, /dev/console on fds 0, 1 and 2, then execve of the
/// init program with HOME=/ and TERM=linux in its environment.
#include "kernel/lib/result.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vector.h"
#include "kernel/proc/task.h"

namespace kernel::proc {

struct InitSpec {
  lib::String path;               ///< the program, e.g. "/sbin/init"
  lib::Vector<lib::String> argv;  ///< argv[0] included; empty: just the path
  lib::Vector<lib::String> envp;  ///< empty: HOME=/ and TERM=linux, as Linux gives init
  /// Called in PID 1's own context after its fds are set up and before the execve (the sim
  /// runner replaces fds 0-2 with the host's). May be null.
  Result<void> (*before_exec)(Task& init, void* arg) = nullptr;
  void* before_exec_arg = nullptr;
};

/// Exit status of the machine when init cannot be executed (QEMU reports (121<<1)|1).
inline constexpr int kExitNoInit = 121;

/// Makes PID 1 and lets it run. It needs a mounted root (fs::MountRootFromInitramfs). Errors
/// here are ENOMEM/EAGAIN; an execve that fails later (no such file, ENOEXEC) is logged with
/// its errno and stops the machine with kExitNoInit, since a system without init has nothing
/// left to do. The spec is moved into the new task.
Result<Task*> StartInit(InitSpec spec);

}  // namespace kernel::proc
