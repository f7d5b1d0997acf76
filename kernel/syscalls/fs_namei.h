#pragma once
// Names: mkdir, mknod, unlink/rmdir, rename, link, symlink, readlink
// [kernel/syscalls/fs_namei.cc].
#include "kernel/syscalls/fs_common.h"

namespace kernel::syscalls {

using proc::Task;

Result<void> sys_mkdir(Task& task, UserCString path, Mode mode);
Result<void> sys_mkdirat(Task& task, DirFd dirfd, UserCString path, Mode mode);
Result<void> sys_mknod(Task& task, UserCString path, Mode mode, unsigned dev);
Result<void> sys_mknodat(Task& task, DirFd dirfd, UserCString path, Mode mode, unsigned dev);
Result<void> sys_unlink(Task& task, UserCString path);
Result<void> sys_rmdir(Task& task, UserCString path);
Result<void> sys_unlinkat(Task& task, DirFd dirfd, UserCString path, Hex flags);
Result<void> sys_rename(Task& task, UserCString oldpath, UserCString newpath);
Result<void> sys_renameat(Task& task, DirFd olddirfd, UserCString oldpath, DirFd newdirfd,
                          UserCString newpath);
Result<void> sys_renameat2(Task& task, DirFd olddirfd, UserCString oldpath, DirFd newdirfd,
                           UserCString newpath, Hex flags);
Result<void> sys_link(Task& task, UserCString oldpath, UserCString newpath);
Result<void> sys_linkat(Task& task, DirFd olddirfd, UserCString oldpath, DirFd newdirfd,
                        UserCString newpath, Hex flags);
Result<void> sys_symlink(Task& task, UserCString target, UserCString linkpath);
Result<void> sys_symlinkat(Task& task, UserCString target, DirFd newdirfd, UserCString linkpath);
Result<isize> sys_readlink(Task& task, UserCString path, UserOut<char> buf, int bufsiz);
Result<isize> sys_readlinkat(Task& task, DirFd dirfd, UserCString path, UserOut<char> buf,
                             int bufsiz);

// clang-format off
#define ARAMID_SYSCALLS_FS_NAMEI(X) \
  X(83, mkdir)                      \
  X(258, mkdirat)                   \
  X(133, mknod)                     \
  X(259, mknodat)                   \
  X(87, unlink)                     \
  X(84, rmdir)                      \
  X(263, unlinkat)                  \
  X(82, rename)                     \
  X(264, renameat)                  \
  X(316, renameat2)                 \
  X(86, link)                       \
  X(265, linkat)                    \
  X(88, symlink)                    \
  X(266, symlinkat)                 \
  X(89, readlink)                   \
  X(267, readlinkat)
// clang-format on

}  // namespace kernel::syscalls
