#pragma once
// Mounts: mount, umount2, pivot_root [kernel/syscalls/fs_mount.cc].
#include "kernel/syscalls/fs_common.h"

namespace kernel::syscalls {

using proc::Task;

Result<void> sys_mount(Task& task, UserCString source, UserCString target, UserCString fstype,
                       Hex flags, UserIn<u8> data);
Result<void> sys_umount2(Task& task, UserCString target, int flags);
Result<void> sys_pivot_root(Task& task, UserCString new_root, UserCString put_old);

// clang-format off
#define ARAMID_SYSCALLS_FS_MOUNT(X) \
  X(165, mount)                     \
  X(166, umount2)                   \
  X(155, pivot_root)
// clang-format on

}  // namespace kernel::syscalls
