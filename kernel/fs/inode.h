#pragma once
/// An Inode is one file system object (a file, a directory, a symlink, a device node) with its
/// attributes and the operations its file system implements. The VFS calls these only after
/// it has resolved the path, checked permissions and decided the operation makes sense (the
/// type of the target, EEXIST, read-only mounts); a file system implements the mechanics.
///
/// Lifetime: reference counted. A directory's entries hold its children (tmpfs), dentries hold
/// their inode, and open files hold theirs; an unlinked file lives until its last holder goes.
/// Every inode holds its SuperBlock.
#include "kernel/fs/abi.h"
#include "kernel/fs/super_block.h"
#include "kernel/lib/ref_ptr.h"
#include "kernel/lib/result.h"
#include "kernel/lib/std.h"

namespace kernel::fs {

class File;
class IoBuffer;
struct Actor;
struct LinkTarget;
struct Path;
struct FifoState;
struct FileLockState;

/// Receives directory entries from Inode::ReadDir.
class DirSink {
 public:
  /// One entry; `next_cookie` resumes after it. Returns false when the entry does not fit:
  /// the iteration stops and the cookie stays before this entry.
  virtual bool Emit(lib::string_view name, u64 ino, u8 type, u64 next_cookie) = 0;

 protected:
  ~DirSink() = default;
};

/// The "." and ".." entries every ReadDir starts with, as cookies 0 and 1 (the next entry's
/// cookie is 2). Returns false when the sink is full: the caller returns, `cookie` kept.
inline bool EmitDots(DirSink& sink, u64& cookie, u64 self_ino, u64 parent_ino) {
  if (cookie == 0) {
    if (!sink.Emit(".", self_ino, dt::kDir, 1)) return false;
    cookie = 1;
  }
  if (cookie == 1) {
    if (!sink.Emit("..", parent_ino, dt::kDir, 2)) return false;
    cookie = 2;
  }
  return true;
}

/// Attribute changes for SetAttr; only the fields whose flag is set apply.
struct AttrChange {
  enum : u32 {
    kMode = 1,
    kUid = 2,
    kGid = 4,
    kAtime = 8,
    kMtime = 16,
    kCtime = 32,
  };
  u32 valid = 0;
  u32 mode = 0;  ///< permission bits only (07777)
  u32 uid = 0;
  u32 gid = 0;
  Timespec atime{};
  Timespec mtime{};
  Timespec ctime{};
};

class Inode : public lib::RefCounted<Inode> {
 public:
  virtual ~Inode();

  SuperBlock& sb() const { return *sb_; }
  u64 ino() const { return ino_; }
  u32 mode() const { return mode_; }
  u32 type() const { return mode_ & mode::kTypeMask; }
  bool is_dir() const { return IsDir(mode_); }
  bool is_symlink() const { return IsLnk(mode_); }
  bool is_regular() const { return IsReg(mode_); }
  u32 uid() const { return uid_; }
  u32 gid() const { return gid_; }
  u32 nlink() const { return nlink_; }
  u64 size() const { return size_; }
  u64 rdev() const { return rdev_; }
  const Timespec& atime() const { return atime_; }
  const Timespec& mtime() const { return mtime_; }
  const Timespec& ctime() const { return ctime_; }
  const Timespec& btime() const { return btime_; }
  /// 512-byte blocks in use (st_blocks).
  virtual u64 blocks() const { return 0; }
  /// st_blksize.
  virtual u32 block_size() const { return kPageSize; }

  // ---- directories (defaults: ENOTDIR) ----
  /// The entry `name` (never "." or ".."), or ENOENT.
  virtual Result<lib::RefPtr<Inode>> Lookup(lib::string_view name);
  /// A new regular file, FIFO, socket or device node named `name` (which does not exist).
  virtual Result<lib::RefPtr<Inode>> Create(lib::string_view name, u32 mode, u32 uid, u32 gid,
                                            u64 rdev);
  virtual Result<lib::RefPtr<Inode>> MkDir(lib::string_view name, u32 mode, u32 uid, u32 gid);
  virtual Result<lib::RefPtr<Inode>> Symlink(lib::string_view name, lib::string_view target,
                                             u32 uid, u32 gid);
  /// A new entry `name` for the existing non-directory `target` (same file system).
  virtual Result<void> Link(lib::string_view name, Inode& target);
  /// Removes entry `name`, which refers to the non-directory `victim`.
  virtual Result<void> Unlink(lib::string_view name, Inode& victim);
  /// Removes entry `name`, which refers to the directory `victim`; ENOTEMPTY.
  virtual Result<void> RmDir(lib::string_view name, Inode& victim);
  /// Moves entry `old_name` to `new_dir`/`new_name` (same file system), replacing what is
  /// there; with kRenameExchange both must exist and swap. The VFS has checked types.
  virtual Result<void> Rename(lib::string_view old_name, Inode& new_dir, lib::string_view new_name,
                              u32 flags);
  /// An unnamed regular file in this directory's file system (O_TMPFILE); EOPNOTSUPP.
  virtual Result<lib::RefPtr<Inode>> CreateTmpFile(u32 mode, u32 uid, u32 gid);
  /// Emits entries from `cookie` on: 0 is ".", 1 is "..", the file system numbers the rest.
  virtual Result<void> ReadDir(u64& cookie, DirSink& sink);

  // ---- data (defaults: EINVAL; regular files implement them) ----
  virtual Result<usize> Read(const IoBuffer& buf, u64 offset);
  virtual Result<usize> Write(const IoBuffer& buf, u64 offset);
  /// Sets the size, zero-filling or discarding; EFBIG beyond the file system's limit.
  virtual Result<void> Truncate(u64 size);
  /// The page-cache page `index` with a reference for the caller (mm::PutPage it). Pages of a
  /// hole are allocated zeroed and become part of the file; a page wholly past EOF is a zeroed
  /// page that is not part of the file (mmap's fault path decides about SIGBUS from size()).
  /// ENODEV when the file system cannot be mapped.
  virtual Result<PhysAddr> GetPage(u64 index);
  /// SEEK_DATA (hole=false) / SEEK_HOLE (hole=true) from `offset` < size(). The default sees
  /// the whole file as data, as Linux does for file systems that do not track holes.
  virtual Result<u64> SeekData(u64 offset, bool hole);

  // ---- symlinks (default: EINVAL) ----
  /// What the symlink points at: text to walk, or (procfs magic links) a place to jump to.
  virtual Result<LinkTarget> GetLink(const Actor& actor);

  // ---- opening ----
  /// Makes the open file for a successful open(2) of this inode. The default handles the
  /// generic types: regular files and directories, FIFOs, and device nodes through the
  /// device registry.
  virtual Result<lib::RefPtr<File>> Open(const Path& path, u32 flags, const Actor& actor);

  // ---- attributes ----
  /// Applies `c`; the VFS has checked permission. The default stores the values.
  virtual Result<void> SetAttr(const AttrChange& c);
  /// Whether a cached dentry naming this inode must be looked up again (procfs processes
  /// that have exited).
  virtual bool Stale() const { return false; }

  /// Timestamp updates for file systems: access; modification (mtime+ctime); change (ctime).
  void TouchAtime();
  void TouchMtime();
  void TouchCtime();

  /// An O_TMPFILE inode opened without O_EXCL may be given a name by linkat(2).
  bool tmpfile_linkable() const { return tmpfile_linkable_; }
  void set_tmpfile_linkable(bool v) { tmpfile_linkable_ = v; }

  /// A directory removed by rmdir (or replaced by rename): nothing may be created in it
  /// (Linux's S_DEAD, tested by IS_DEADDIR in may_create and lookup_open).
  bool dead_dir() const { return dead_dir_; }
  void MarkDeadDir() { dead_dir_ = true; }

  // ---- state other VFS parts hang on an inode ----
  FifoState*& fifo_state() { return fifo_; }
  FileLockState*& lock_state() { return locks_; }

 protected:
  Inode(SuperBlock& sb, u64 ino, u32 mode, u32 uid, u32 gid);

  void set_size(u64 size) { size_ = size; }
  void set_nlink(u32 n) { nlink_ = n; }
  void set_rdev(u64 rdev) { rdev_ = rdev; }
  void set_mode(u32 m) { mode_ = m; }
  void set_owner(u32 uid, u32 gid) {
    uid_ = uid;
    gid_ = gid;
  }
  void set_times(const Timespec& t) { atime_ = mtime_ = ctime_ = btime_ = t; }

 private:
  lib::RefPtr<SuperBlock> sb_;
  u64 ino_;
  u32 mode_;
  u32 uid_;
  u32 gid_;
  u32 nlink_ = 1;
  bool dead_dir_ = false;
  u64 size_ = 0;
  u64 rdev_ = 0;
  Timespec atime_{};
  Timespec mtime_{};
  Timespec ctime_{};
  Timespec btime_{};
  FifoState* fifo_ = nullptr;
  FileLockState* locks_ = nullptr;
  bool tmpfile_linkable_ = false;
};

}  // namespace kernel::fs
