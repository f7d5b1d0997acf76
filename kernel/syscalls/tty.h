#pragma once
// Session and process-group system calls [kernel/syscalls/tty.cc; tty/session.h].
#include "kernel/proc/task.h"
#include "kernel/syscalls/args.h"

namespace kernel::syscalls {

Result<int> sys_setsid(proc::Task& task);
Result<void> sys_setpgid(proc::Task& task, int pid, int pgid);
Result<int> sys_getpgid(proc::Task& task, int pid);
Result<int> sys_getpgrp(proc::Task& task);
Result<int> sys_getsid(proc::Task& task, int pid);

// clang-format off
#define ARAMID_SYSCALLS_TTY(X) \
  X(112, setsid)               \
  X(109, setpgid)              \
  X(121, getpgid)              \
  X(111, getpgrp)              \
  X(124, getsid)
// clang-format on

}  // namespace kernel::syscalls
