#pragma once
/// A File is an open file description: what open(2), pipe(2) or epoll_create(2) return and
/// what fds refer to. It carries the access mode and status flags (O_APPEND, O_NONBLOCK), the
/// file position, and the operations of its kind: inode-backed files read and write their
/// inode, pipes their buffer, devices their driver.
///
/// Lifetime: reference counted; fd table slots, in-flight system calls, memory mappings and
/// the like hold references. When the last goes, the destructor runs the release hooks
/// (epoll items watching this file, flock locks it owns) and the subclass lets go of its
/// resources (a pipe end decrements its reader/writer count).
#include "kernel/fs/abi.h"
#include "kernel/fs/io_buffer.h"
#include "kernel/fs/path.h"
#include "kernel/lib/intrusive_list.h"
#include "kernel/lib/ref_ptr.h"
#include "kernel/lib/string.h"

namespace kernel::proc {
class Task;
}

namespace kernel::fs {

class PollQueue;
class File;

/// Something that must hear about a File's last release (an epoll item watching it, the
/// flock lock it owns). Registered with File::AddReleaseHook.
struct FileReleaseHook {
  void (*on_release)(FileReleaseHook& hook, File& file) = nullptr;
  lib::ListNode node;
};

enum class FileKind : u8 {
  kInode,  ///< a regular file (or anything read through its inode)
  kDirectory,
  kPath,    ///< O_PATH: no I/O at all
  kPipe,    ///< a pipe or FIFO end
  kDevice,  ///< a character device
  kEpoll,
  kEventFd,
  kSynthetic,  ///< procfs/sysfs generated text
  kSignalFd,   ///< signalfd(2) [kernel/signal/signalfd.cc]
  kTimerFd,    ///< timerfd_create(2) [kernel/time/timerfd.cc]
  kSocket,     ///< a socket (kernel/net)
};

class File : public lib::RefCounted<File> {
 public:
  virtual ~File();

  FileKind kind() const { return kind_; }
  /// Where the file was opened (invalid for anonymous files: pipes, epoll, eventfd).
  const Path& path() const { return path_; }
  Inode* inode() const { return inode_.get(); }
  const lib::RefPtr<Inode>& inode_ref() const { return inode_; }

  /// The access mode and status flags (F_GETFL), never O_CLOEXEC or the open-time flags.
  u32 flags() const { return flags_; }
  /// F_SETFL: replaces the changeable status flags (o::kSetFlMask).
  void SetStatusFlags(u32 flags) { flags_ = (flags_ & ~o::kSetFlMask) | (flags & o::kSetFlMask); }
  bool nonblocking() const { return (flags_ & o::kNonBlock) != 0; }
  // Access mode 3 (O_WRONLY|O_RDWR) allows neither, as in Linux (ioctl-only opens).
  bool readable() const {
    u32 acc = flags_ & o::kAccMode;
    return kind_ != FileKind::kPath && (acc == o::kRdOnly || acc == o::kRdWr);
  }
  bool writable() const {
    u32 acc = flags_ & o::kAccMode;
    return kind_ != FileKind::kPath && (acc == o::kWrOnly || acc == o::kRdWr);
  }

  /// The file position (read/write/lseek).
  u64 pos() const { return pos_; }
  void set_pos(u64 p) { pos_ = p; }

  // ---- operations; the defaults are what Linux answers when a file lacks them ----

  /// Reads into `buf` at `offset` and advances it by what was read. Blocking files honour
  /// nonblocking() and sleep interruptibly (ERESTARTSYS).
  virtual Result<usize> Read(const IoBuffer& buf, u64& offset);
  /// Writes `buf` at `offset` (O_APPEND: at the end) and advances it.
  virtual Result<usize> Write(const IoBuffer& buf, u64& offset);
  /// Whether the file has positions at all (pread/pwrite/lseek; ESPIPE otherwise).
  virtual bool seekable() const { return true; }
  /// lseek(2): the new position. The default is generic_file_llseek over inode()->size().
  virtual Result<u64> Seek(i64 offset, int whence);
  /// getdents: emits entries from the position on; advances it past what was emitted.
  virtual Result<void> ReadDir(DirSink& sink);
  /// The readiness events that hold now (ev::*); the default is always readable and writable.
  virtual u32 Poll();
  /// Where readiness changes are announced, or null if they never change.
  virtual PollQueue* poll_queue() { return nullptr; }
  /// ioctl(2) commands specific to this file (the generic FIO* ones are handled before).
  virtual Result<i64> Ioctl(proc::Task& task, u32 cmd, u64 arg);
  /// A page of the file for mmap (see Inode::GetPage); ENODEV for unmappable files.
  virtual Result<PhysAddr> GetPage(u64 index);
  /// For files with no path: the name /proc/<pid>/fd shows ("pipe:[1234]").
  virtual Result<lib::String> Describe() const;

  /// Reads n bytes at `offset` into kernel memory (execve reading ELF headers).
  Result<usize> ReadAt(void* kernel_buffer, usize n, u64 offset);

  /// Registers a hook that runs when the last reference goes (epoll items, flock locks).
  void AddReleaseHook(FileReleaseHook& hook) { release_hooks_.PushBack(hook); }
  void RemoveReleaseHook(FileReleaseHook& hook) { release_hooks_.Remove(hook); }

 protected:
  File(FileKind kind, Path path, lib::RefPtr<Inode> inode, u32 flags);

  u64 pos_ = 0;

 private:
  FileKind kind_;
  u32 flags_;
  Path path_;
  lib::RefPtr<Inode> inode_;
  lib::IntrusiveList<FileReleaseHook, &FileReleaseHook::node> release_hooks_;
};

/// A regular file read and written through its inode (and the default for inodes that
/// implement Read/Write: procfs, sysfs).
class InodeFile : public File {
 public:
  InodeFile(Path path, lib::RefPtr<Inode> inode, u32 flags);
  Result<usize> Read(const IoBuffer& buf, u64& offset) override;
  Result<usize> Write(const IoBuffer& buf, u64& offset) override;
  Result<i64> Ioctl(proc::Task& task, u32 cmd, u64 arg) override;
};

/// An open directory: getdents and seeking by cookie.
class DirectoryFile : public File {
 public:
  DirectoryFile(Path path, lib::RefPtr<Inode> inode, u32 flags);
  Result<usize> Read(const IoBuffer& buf, u64& offset) override;
  Result<u64> Seek(i64 offset, int whence) override;
  Result<void> ReadDir(DirSink& sink) override;
};

/// O_PATH: names a place and an inode, allows no I/O (fstat, fchdir, *at with AT_EMPTY_PATH).
class PathFile : public File {
 public:
  PathFile(Path path, lib::RefPtr<Inode> inode, u32 flags);
  Result<usize> Read(const IoBuffer& buf, u64& offset) override;
  Result<usize> Write(const IoBuffer& buf, u64& offset) override;
  Result<u64> Seek(i64 offset, int whence) override;
  Result<void> ReadDir(DirSink& sink) override;
  u32 Poll() override;
};

/// Makes a file of type T (a File subclass) and returns its first reference; ENOMEM.
template <typename T, typename... Args>
Result<lib::RefPtr<File>> MakeFile(Args&&... args) {
  T* f = TRY(lib::TryNew<T>(lib::forward<Args>(args)...));
  return lib::RefPtr<File>(lib::AdoptRef<File>(f));
}

}  // namespace kernel::fs
