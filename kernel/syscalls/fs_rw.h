#pragma once
// Reading and writing: read/write, the vectored and positioned variants, lseek, sendfile,
// copy_file_range [kernel/syscalls/fs_rw.cc].
#include "kernel/syscalls/fs_common.h"

namespace kernel::syscalls {

using proc::Task;

Result<isize> sys_read(Task& task, Fd fd, UserOut<u8> buf, usize count);
Result<isize> sys_write(Task& task, Fd fd, UserIn<u8> buf, usize count);
Result<isize> sys_pread64(Task& task, Fd fd, UserOut<u8> buf, usize count, i64 offset);
Result<isize> sys_pwrite64(Task& task, Fd fd, UserIn<u8> buf, usize count, i64 offset);
Result<isize> sys_readv(Task& task, Fd fd, UserIn<fs::IoSegment> iov, int iovcnt);
Result<isize> sys_writev(Task& task, Fd fd, UserIn<fs::IoSegment> iov, int iovcnt);
Result<isize> sys_preadv(Task& task, Fd fd, UserIn<fs::IoSegment> iov, int iovcnt, i64 pos_l,
                         i64 pos_h);
Result<isize> sys_pwritev(Task& task, Fd fd, UserIn<fs::IoSegment> iov, int iovcnt, i64 pos_l,
                          i64 pos_h);
Result<isize> sys_preadv2(Task& task, Fd fd, UserIn<fs::IoSegment> iov, int iovcnt, i64 pos_l,
                          i64 pos_h, Hex flags);
Result<isize> sys_pwritev2(Task& task, Fd fd, UserIn<fs::IoSegment> iov, int iovcnt, i64 pos_l,
                           i64 pos_h, Hex flags);
Result<i64> sys_lseek(Task& task, Fd fd, i64 offset, int whence);
Result<isize> sys_sendfile(Task& task, Fd out_fd, Fd in_fd, UserInOut<i64> offset, usize count);
Result<isize> sys_copy_file_range(Task& task, Fd fd_in, UserInOut<i64> off_in, Fd fd_out,
                                  UserInOut<i64> off_out, usize len, unsigned flags);

// clang-format off
#define ARAMID_SYSCALLS_FS_RW(X) \
  X(0, read)                     \
  X(1, write)                    \
  X(17, pread64)                 \
  X(18, pwrite64)                \
  X(19, readv)                   \
  X(20, writev)                  \
  X(295, preadv)                 \
  X(296, pwritev)                \
  X(327, preadv2)                \
  X(328, pwritev2)               \
  X(8, lseek)                    \
  X(40, sendfile)                \
  X(326, copy_file_range)
// clang-format on

}  // namespace kernel::syscalls
