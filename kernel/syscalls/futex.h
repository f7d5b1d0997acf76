#pragma once
// futex(2) [kernel/syscalls/futex.cc, kernel/proc/futex.cc].
#include "kernel/proc/task.h"
#include "kernel/syscalls/args.h"

namespace kernel::syscalls {

Result<i64> sys_futex(proc::Task& task, VirtAddr uaddr, int op, u32 val, u64 timeout,
                      VirtAddr uaddr2, u32 val3);

// clang-format off
#define ARAMID_SYSCALLS_FUTEX(X) \
  X(202, futex)
// clang-format on

}  // namespace kernel::syscalls
