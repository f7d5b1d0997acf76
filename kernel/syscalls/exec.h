#pragma once
// execve [kernel/syscalls/exec.cc, kernel/proc/exec.cc].
#include "kernel/proc/task.h"
#include "kernel/syscalls/args.h"

namespace kernel::syscalls {

Result<void> sys_execve(proc::Task& task, UserCString filename, VirtAddr argv, VirtAddr envp);

// clang-format off
#define ARAMID_SYSCALLS_EXEC(X) \
  X(59, execve)
// clang-format on

}  // namespace kernel::syscalls
