#pragma once
// File attributes: the stat family, statfs, access, chmod/chown, truncate, timestamps and
// sync [kernel/syscalls/fs_stat.cc].
#include "kernel/syscalls/fs_common.h"

namespace kernel::syscalls {

using proc::Task;

/// struct timeval and struct utimbuf, for utimes/futimesat/utime.
struct Timeval {
  i64 sec;
  i64 usec;
};
struct Utimbuf {
  i64 actime;
  i64 modtime;
};

Result<void> sys_stat(Task& task, UserCString path, UserOut<fs::Stat> buf);
Result<void> sys_lstat(Task& task, UserCString path, UserOut<fs::Stat> buf);
Result<void> sys_fstat(Task& task, Fd fd, UserOut<fs::Stat> buf);
Result<void> sys_newfstatat(Task& task, DirFd dirfd, UserCString path, UserOut<fs::Stat> buf,
                            Hex flags);
Result<void> sys_statx(Task& task, DirFd dirfd, UserCString path, Hex flags, Hex mask,
                       UserOut<fs::Statx> buf);
Result<void> sys_statfs(Task& task, UserCString path, UserOut<fs::StatFs> buf);
Result<void> sys_fstatfs(Task& task, Fd fd, UserOut<fs::StatFs> buf);
Result<void> sys_access(Task& task, UserCString path, int mode);
Result<void> sys_faccessat(Task& task, DirFd dirfd, UserCString path, int mode);
Result<void> sys_faccessat2(Task& task, DirFd dirfd, UserCString path, int mode, Hex flags);
Result<void> sys_chmod(Task& task, UserCString path, Mode mode);
Result<void> sys_fchmod(Task& task, Fd fd, Mode mode);
Result<void> sys_fchmodat(Task& task, DirFd dirfd, UserCString path, Mode mode);
Result<void> sys_chown(Task& task, UserCString path, u32 uid, u32 gid);
Result<void> sys_lchown(Task& task, UserCString path, u32 uid, u32 gid);
Result<void> sys_fchown(Task& task, Fd fd, u32 uid, u32 gid);
Result<void> sys_fchownat(Task& task, DirFd dirfd, UserCString path, u32 uid, u32 gid, Hex flags);
Result<void> sys_truncate(Task& task, UserCString path, i64 length);
Result<void> sys_ftruncate(Task& task, Fd fd, i64 length);
Result<void> sys_utimensat(Task& task, DirFd dirfd, UserCString path, UserIn<fs::Timespec> times,
                           Hex flags);
Result<void> sys_utimes(Task& task, UserCString path, UserIn<Timeval> times);
Result<void> sys_futimesat(Task& task, DirFd dirfd, UserCString path, UserIn<Timeval> times);
Result<void> sys_utime(Task& task, UserCString path, UserIn<Utimbuf> times);
Result<void> sys_fsync(Task& task, Fd fd);
Result<void> sys_fdatasync(Task& task, Fd fd);
Result<void> sys_sync(Task& task);
Result<void> sys_syncfs(Task& task, Fd fd);

// clang-format off
#define ARAMID_SYSCALLS_FS_STAT(X) \
  X(4, stat)                       \
  X(6, lstat)                      \
  X(5, fstat)                      \
  X(262, newfstatat)               \
  X(332, statx)                    \
  X(137, statfs)                   \
  X(138, fstatfs)                  \
  X(21, access)                    \
  X(269, faccessat)                \
  X(439, faccessat2)               \
  X(90, chmod)                     \
  X(91, fchmod)                    \
  X(268, fchmodat)                 \
  X(92, chown)                     \
  X(94, lchown)                    \
  X(93, fchown)                    \
  X(260, fchownat)                 \
  X(76, truncate)                  \
  X(77, ftruncate)                 \
  X(280, utimensat)                \
  X(235, utimes)                   \
  X(261, futimesat)                \
  X(132, utime)                    \
  X(74, fsync)                     \
  X(75, fdatasync)                 \
  X(162, sync)                     \
  X(306, syncfs)
// clang-format on

}  // namespace kernel::syscalls
