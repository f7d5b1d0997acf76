#pragma once
// prctl(2): per-thread and per-process settings [kernel/syscalls/prctl.cc].
#include "kernel/proc/task.h"
#include "kernel/syscalls/args.h"

namespace kernel::syscalls {

Result<i64> sys_prctl(proc::Task& task, int option, u64 arg2, u64 arg3, u64 arg4, u64 arg5);

// clang-format off
#define ARAMID_SYSCALLS_PRCTL(X) \
  X(157, prctl)
// clang-format on

}  // namespace kernel::syscalls
