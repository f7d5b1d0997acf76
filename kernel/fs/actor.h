#pragma once
/// Actor: who performs a file-system operation and from where: the credentials it acts with,
/// the FsContext its paths start from and the FdTable its dirfds come from. The syscall layer
/// makes one from the calling task (Actor::Of); kernel-internal code and tests can make one
/// with any credentials and without a process.
#include "kernel/fs/credentials.h"
#include "kernel/fs/fd_table.h"
#include "kernel/fs/fs_context.h"

namespace kernel::fs {

struct Actor {
  proc::Task* task = nullptr;  ///< for /proc/self and magic links; may be null
  FsContext* fs = nullptr;     ///< must be set for any path operation
  FdTable* fds = nullptr;      ///< for dirfds; null means only AT_FDCWD works
  Credentials cred = Credentials::Root();

  /// The calling task's view: its fs context, fd table and credentials.
  static Actor Of(proc::Task& task);

  /// The starting point of a relative path: the cwd for AT_FDCWD, else the directory open
  /// on `dirfd` (EBADF). With `require_dir`, ENOTDIR when the dirfd is not a directory.
  Result<Path> StartOf(int dirfd, bool require_dir) const;
  /// The file open on `fd` (EBADF).
  Result<lib::RefPtr<File>> FileOf(int fd) const;
};

}  // namespace kernel::fs
