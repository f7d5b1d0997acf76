#pragma once
// Process-lifecycle system calls [kernel/syscalls/process.cc].
#include "kernel/proc/task.h"
#include "kernel/syscalls/args.h"

namespace kernel::syscalls {

using proc::Task;

Result<int> sys_getpid(Task& task);
Result<int> sys_gettid(Task& task);
Result<int> sys_getppid(Task& task);
Result<void> sys_exit(Task& task, int status);
Result<void> sys_exit_group(Task& task, int status);

// clang-format off
#define ARAMID_SYSCALLS_PROCESS(X) \
  X(39, getpid)                    \
  X(186, gettid)                   \
  X(110, getppid)                  \
  X(60, exit)                      \
  X(231, exit_group)
// clang-format on

}  // namespace kernel::syscalls
