#include "kernel/fs/actor.h"

#include "kernel/proc/task.h"

namespace kernel::fs {

Credentials CredentialsOf(const proc::Task& task) {
  const proc::Credentials& c = task.credentials();
  // Capabilities are all-or-nothing here, as proc's credentials model them: fsuid 0 has
  // every one, anyone else none.
  return Credentials{c.fsuid, c.fsgid, lib::span<const u32>(c.groups, c.group_count),
                     c.IsFsRoot() ? ~u64{0} : 0};
}

Credentials RealCredentialsOf(const proc::Task& task) {
  const proc::Credentials& c = task.credentials();
  // access(2) checks with the real ids, and root's powers only if the real uid is 0.
  return Credentials{c.uid, c.gid, lib::span<const u32>(c.groups, c.group_count),
                     c.uid == 0 ? ~u64{0} : 0};
}

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
