#pragma once
// timerfd_create, timerfd_settime, timerfd_gettime [kernel/syscalls/timerfd.cc,
// kernel/time/timerfd.h].
#include "kernel/syscalls/fs_common.h"
#include "kernel/time/timespec.h"

namespace kernel::syscalls {

using proc::Task;

Result<Fd> sys_timerfd_create(Task& task, int clockid, int flags);
Result<void> sys_timerfd_settime(Task& task, Fd fd, int flags, UserIn<time::Itimerspec> value,
                                 UserOut<time::Itimerspec> old);
Result<void> sys_timerfd_gettime(Task& task, Fd fd, UserOut<time::Itimerspec> value);

// clang-format off
#define ARAMID_SYSCALLS_TIMERFD(X) \
  X(283, timerfd_create)           \
  X(286, timerfd_settime)          \
  X(287, timerfd_gettime)
// clang-format on

}  // namespace kernel::syscalls
