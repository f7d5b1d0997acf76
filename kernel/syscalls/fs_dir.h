#pragma once
// Directories and the working directory: getdents, chdir/fchdir/getcwd/chroot, umask
// [kernel/syscalls/fs_dir.cc].
#include "kernel/syscalls/fs_common.h"

namespace kernel::syscalls {

using proc::Task;

Result<isize> sys_getdents64(Task& task, Fd fd, UserOut<u8> dirp, unsigned count);
Result<isize> sys_getdents(Task& task, Fd fd, UserOut<u8> dirp, unsigned count);
Result<isize> sys_getcwd(Task& task, UserOut<char> buf, usize size);
Result<void> sys_chdir(Task& task, UserCString path);
Result<void> sys_fchdir(Task& task, Fd fd);
Result<void> sys_chroot(Task& task, UserCString path);
Result<u32> sys_umask(Task& task, Mode mask);

// clang-format off
#define ARAMID_SYSCALLS_FS_DIR(X) \
  X(217, getdents64)              \
  X(78, getdents)                 \
  X(79, getcwd)                   \
  X(80, chdir)                    \
  X(81, fchdir)                   \
  X(161, chroot)                  \
  X(95, umask)
// clang-format on

}  // namespace kernel::syscalls
