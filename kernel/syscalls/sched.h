#pragma once
// Scheduling system calls [kernel/syscalls/sched.cc].
#include "kernel/proc/task.h"
#include "kernel/syscalls/args.h"

namespace kernel::syscalls {

Result<void> sys_sched_yield(proc::Task& task);

// clang-format off
#define ARAMID_SYSCALLS_SCHED(X) \
  X(24, sched_yield)
// clang-format on

}  // namespace kernel::syscalls
