#pragma once
// Descriptor operations: dup, fcntl, ioctl, flock, pipe, eventfd [kernel/syscalls/fs_fd.cc].
#include "kernel/syscalls/fs_common.h"

namespace kernel::syscalls {

using proc::Task;

Result<Fd> sys_dup(Task& task, Fd oldfd);
Result<Fd> sys_dup2(Task& task, Fd oldfd, Fd newfd);
Result<Fd> sys_dup3(Task& task, Fd oldfd, Fd newfd, Hex flags);
Result<i64> sys_fcntl(Task& task, Fd fd, int cmd, u64 arg);
Result<i64> sys_ioctl(Task& task, Fd fd, Hex cmd, u64 arg);
Result<void> sys_flock(Task& task, Fd fd, int operation);
Result<void> sys_pipe(Task& task, UserOut<int> fds);
Result<void> sys_pipe2(Task& task, UserOut<int> fds, Hex flags);
Result<Fd> sys_eventfd(Task& task, unsigned initval);
Result<Fd> sys_eventfd2(Task& task, unsigned initval, Hex flags);

// clang-format off
#define ARAMID_SYSCALLS_FS_FD(X) \
  X(32, dup)                     \
  X(33, dup2)                    \
  X(292, dup3)                   \
  X(72, fcntl)                   \
  X(16, ioctl)                   \
  X(73, flock)                   \
  X(22, pipe)                    \
  X(293, pipe2)                  \
  X(284, eventfd)                \
  X(290, eventfd2)
// clang-format on

}  // namespace kernel::syscalls
