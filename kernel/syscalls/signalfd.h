#pragma once
// signalfd and signalfd4 [kernel/syscalls/signalfd.cc, kernel/signal/signalfd.h].
#include "kernel/syscalls/fs_common.h"

namespace kernel::syscalls {

using proc::Task;

Result<Fd> sys_signalfd(Task& task, int fd, UserIn<u64> mask, usize sizemask);
Result<Fd> sys_signalfd4(Task& task, int fd, UserIn<u64> mask, usize sizemask, Hex flags);

// clang-format off
#define ARAMID_SYSCALLS_SIGNALFD(X) \
  X(282, signalfd)                  \
  X(289, signalfd4)
// clang-format on

}  // namespace kernel::syscalls
