#pragma once
// Opening and closing files [kernel/syscalls/fs_open.cc].
#include "kernel/syscalls/fs_common.h"

namespace kernel::syscalls {

using proc::Task;

Result<Fd> sys_open(Task& task, UserCString path, int flags, Mode mode);
Result<Fd> sys_openat(Task& task, DirFd dirfd, UserCString path, int flags, Mode mode);
Result<Fd> sys_openat2(Task& task, DirFd dirfd, UserCString path, UserIn<fs::OpenHow> how,
                       usize size);
Result<Fd> sys_creat(Task& task, UserCString path, Mode mode);
Result<void> sys_close(Task& task, Fd fd);
Result<void> sys_close_range(Task& task, unsigned first, unsigned last, unsigned flags);

// clang-format off
#define ARAMID_SYSCALLS_FS_OPEN(X) \
  X(2, open)                       \
  X(257, openat)                   \
  X(437, openat2)                  \
  X(85, creat)                     \
  X(3, close)                      \
  X(436, close_range)
// clang-format on

}  // namespace kernel::syscalls
