#pragma once
// Shared helpers for the file-system system calls (kernel/syscalls/fs_*.cc, poll.cc): paths
// copied from user memory, fd lookups with Linux's O_PATH rules, and the calling Actor.
#include "kernel/fs/actor.h"
#include "kernel/fs/file.h"
#include "kernel/lib/alloc.h"
#include "kernel/proc/task.h"
#include "kernel/syscalls/args.h"

namespace kernel::syscalls {

/// A path copied in from user memory (getname): at most PATH_MAX bytes including the NUL
/// (ENAMETOOLONG), EFAULT for a bad pointer. Heap-allocated: kernel stacks are small.
class UserPath {
 public:
  UserPath() = default;
  UserPath(const UserPath&) = delete;
  UserPath& operator=(const UserPath&) = delete;
  ~UserPath() { lib::Free(buf_); }

  Result<void> Copy(UserCString s) {
    if (buf_ == nullptr) {
      buf_ = static_cast<char*>(lib::Allocate(fs::kPathMax));
      if (buf_ == nullptr) return Errno::kENOMEM;
    }
    len_ = TRY(s.Copy(buf_, fs::kPathMax));
    return Ok();
  }
  lib::string_view view() const { return lib::string_view(buf_, len_); }
  const char* c_str() const { return buf_; }

 private:
  char* buf_ = nullptr;
  usize len_ = 0;
};

/// Copies `s` into a new UserPath (an out-parameter keeps it unmovable).
inline Result<void> CopyPath(UserCString s, UserPath& out) { return out.Copy(s); }

/// The file on `fd` for calls that need an open file description (read, write, fchmod...):
/// EBADF for closed fds and for O_PATH ones, as Linux's fdget does.
inline Result<lib::RefPtr<fs::File>> GetFile(proc::Task& task, int fd) {
  if (!task.fd_table()) return Errno::kEBADF;
  lib::RefPtr<fs::File> f = TRY(task.fd_table()->Get(fd));
  if (f->kind() == fs::FileKind::kPath) return Errno::kEBADF;
  return f;
}

/// The file on `fd`, O_PATH ones included (fstat, fchdir, the *at dirfds): fdget_raw.
inline Result<lib::RefPtr<fs::File>> GetFileRaw(proc::Task& task, int fd) {
  if (!task.fd_table()) return Errno::kEBADF;
  return task.fd_table()->Get(fd);
}

/// The caller's Actor; ENOENT-free: a task without an fs context gets EINVAL... never used
/// for paths by kernel tasks.
inline Result<fs::Actor> ActorOf(proc::Task& task) {
  if (!task.fs_context()) return Errno::kEINVAL;
  return fs::Actor::Of(task);
}

}  // namespace kernel::syscalls
