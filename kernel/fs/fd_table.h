#pragma once
/// FdTable: a process's file descriptors (Linux's files_struct), shared by the threads cloned
/// with CLONE_FILES and copied by fork. A slot holds a reference to an open File and the
/// close-on-exec flag. New descriptors take the lowest free number.
///
/// POSIX record locks belong to the table (as in Linux, whose lock owner is the files_struct):
/// closing any descriptor of a file releases the table's locks on that file.
///
/// Locking: none beyond the kernel's; no operation sleeps while the table is inconsistent.
/// Releasing a File may run its release hooks, which never sleep.
#include "kernel/fs/file.h"
#include "kernel/lib/ref_ptr.h"
#include "kernel/lib/vector.h"

namespace kernel::fs {

class FdTable : public lib::RefCounted<FdTable> {
 public:
  /// The default RLIMIT_NOFILE soft limit Linux gives init.
  static constexpr u32 kDefaultLimit = 1024;
  /// The hard ceiling (fs.nr_open's default).
  static constexpr u32 kMaxLimit = 1u << 20;

  static Result<lib::RefPtr<FdTable>> Create();
  FdTable() = default;
  ~FdTable();

  /// The file open on `fd`; EBADF when none.
  Result<lib::RefPtr<File>> Get(int fd) const;
  /// Installs `file` on the lowest free descriptor >= min_fd; fd_flags is kFdCloexec or 0.
  /// EMFILE when none is below the limit (EINVAL when min_fd itself is out of range).
  Result<int> Install(lib::RefPtr<File> file, u32 fd_flags, int min_fd = 0);
  /// Installs `file` on exactly `fd`, closing what was there (dup2/dup3). EBADF past the
  /// limit.
  Result<void> InstallAt(int fd, lib::RefPtr<File> file, u32 fd_flags);
  /// Empties slot `fd` and returns its file (close(2) drops it); EBADF when none.
  Result<lib::RefPtr<File>> Remove(int fd);
  /// close_range(first, last): closes (or with `cloexec_only`, marks close-on-exec) every open
  /// descriptor in [first, last].
  void CloseRange(u32 first, u32 last, bool cloexec_only);

  /// F_GETFD / F_SETFD.
  Result<u32> GetFdFlags(int fd) const;
  Result<void> SetFdFlags(int fd, u32 fd_flags);

  /// fork without CLONE_FILES: a new table with the same files and flags.
  Result<lib::RefPtr<FdTable>> Clone() const;
  /// execve: closes every close-on-exec descriptor.
  void CloseOnExec();
  /// exit: closes everything.
  void CloseAll();

  /// RLIMIT_NOFILE (the soft limit): descriptors must be below it.
  u32 limit() const { return limit_; }
  void set_limit(u32 limit) { limit_ = limit < kMaxLimit ? limit : kMaxLimit; }
  /// Whether Install(…, min_fd = 0) would find a free descriptor below the limit (accept(2)
  /// reserves its descriptor before it waits [net/socket.c do_accept]).
  bool HasFreeDescriptor() const;
  /// Number of open descriptors.
  usize open_count() const;
  /// Calls fn(fd, file, fd_flags) for each open descriptor in increasing order.
  template <typename Fn>
  void ForEach(Fn fn) const {
    for (usize i = 0; i < slots_.size(); ++i) {
      if (slots_[i].file) fn(static_cast<int>(i), slots_[i].file, slots_[i].fd_flags);
    }
  }

 private:
  struct Slot {
    lib::RefPtr<File> file;
    u32 fd_flags = 0;
  };
  Result<void> Grow(usize n);
  // Drops a file that left the table: the table's POSIX locks on its inode go with it.
  void DropFile(const lib::RefPtr<File>& file);

  lib::Vector<Slot> slots_;
  u32 limit_ = kDefaultLimit;
  usize lowest_free_hint_ = 0;
};

}  // namespace kernel::fs
