#include "kernel/fs/actor.h"

#include "kernel/proc/task.h"

namespace kernel::fs {

Credentials CredentialsOf(const proc::Task&) { return Credentials::Root(); }

Actor Actor::Of(proc::Task& task) {
  return Actor{&task, task.fs_context().get(), task.fd_table().get(), CredentialsOf(task)};
}

Result<lib::RefPtr<File>> Actor::FileOf(int fd) const {
  if (fds == nullptr) return Errno::kEBADF;
  return fds->Get(fd);
}

Result<Path> Actor::StartOf(int dirfd, bool require_dir) const {
  if (dirfd == kAtFdCwd) return fs->cwd();
  lib::RefPtr<File> file = TRY(FileOf(dirfd));
  const Path& p = file->path();
  if (!p.valid()) return require_dir ? Result<Path>(Errno::kENOTDIR) : Result<Path>(Errno::kEBADF);
  if (require_dir && (p.inode() == nullptr || !p.inode()->is_dir())) return Errno::kENOTDIR;
  return p;
}

}  // namespace kernel::fs
