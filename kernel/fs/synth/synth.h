#pragma once
/// Building blocks for generated file systems (devpts, procfs, sysfs): inodes whose contents
/// and directory entries are computed when asked, never stored.
///
/// - TextInode: a regular file whose text is generated when it is opened (a snapshot, as
///   Linux's seq_file produces on the first read) and read like a string; writes, where a
///   file allows them, hand each write(2) to Store() (the /proc/sys convention).
/// - LinkInode: a symlink whose target is computed (text, or a magic-link jump).
/// - DirInode: a directory that looks names up and lists entries on demand; TableDir serves a
///   fixed table of entries, optionally followed by generated ones.
///
/// Synthetic superblocks keep no negative dentries (names come and go on their own), and
/// inodes can say they are Stale() (a process that exited) so cached dentries are dropped.
#include "kernel/fs/file.h"
#include "kernel/fs/inode.h"
#include "kernel/fs/super_block.h"
#include "kernel/lib/string.h"

namespace kernel::fs::synth {

class SynthSuperBlock : public SuperBlock {
 public:
  SynthSuperBlock(const FileSystemType& type, i64 magic, u64 flags)
      : SuperBlock(type, magic, flags) {}
  bool cache_negative_dentries() const override { return false; }
};

/// A stable inode number for entry `index` of the directory numbered `parent` (generated
/// inodes are made afresh on each lookup; their numbers should not change).
constexpr u64 ChildIno(u64 parent, u64 index) {
  u64 x = parent * 0x9e3779b97f4a7c15ull + index + 1;
  x ^= x >> 29;
  return (x & 0x7fffffffffull) | 0x1000;  // small and clear of the reserved low numbers
}

class SynthInode : public Inode {
 public:
  SynthInode(SuperBlock& sb, u64 ino, u32 mode, u32 uid = 0, u32 gid = 0);
  using Inode::set_nlink;
  using Inode::set_owner;
  using Inode::set_rdev;
  using Inode::set_size;
};

/// A regular file of generated text.
class TextInode : public SynthInode {
 public:
  TextInode(SuperBlock& sb, u64 ino, u32 mode, u32 uid = 0, u32 gid = 0)
      : SynthInode(sb, ino, mode::kRegular | (mode & mode::kPermMask), uid, gid) {}

  /// Appends the file's contents; `actor` is who opened it (/proc/self, permissions).
  virtual Result<void> Generate(lib::StringBuilder& out, const Actor& actor) = 0;
  /// One write(2) of `text` (at most a page); EINVAL by default. Returns bytes consumed.
  /// Who may write was decided at open(2) by the file's mode, as for /proc/sys.
  virtual Result<usize> Store(lib::string_view text);

  Result<lib::RefPtr<File>> Open(const Path& path, u32 flags, const Actor& actor) override;
  Result<void> Truncate(u64) override { return Ok(); }  // O_TRUNC on /proc/sys files
};

/// A TextInode made from a plain function (most procfs/sysfs files).
class FnTextInode final : public TextInode {
 public:
  using GenerateFn = Result<void> (*)(lib::StringBuilder& out, const Actor& actor, i64 arg);
  using StoreFn = Result<usize> (*)(lib::string_view text, i64 arg);
  FnTextInode(SuperBlock& sb, u64 ino, u32 mode, GenerateFn gen, StoreFn store, i64 arg)
      : TextInode(sb, ino, mode), gen_(gen), store_(store), arg_(arg) {}
  Result<void> Generate(lib::StringBuilder& out, const Actor& actor) override {
    return gen_(out, actor, arg_);
  }
  Result<usize> Store(lib::string_view text) override;

 private:
  GenerateFn gen_;
  StoreFn store_;
  i64 arg_;
};

/// A symlink with a computed target.
class LinkInode : public SynthInode {
 public:
  LinkInode(SuperBlock& sb, u64 ino, u32 mode = 0777, u32 uid = 0, u32 gid = 0)
      : SynthInode(sb, ino, mode::kSymlink | (mode & mode::kPermMask), uid, gid) {}
};

/// A symlink to fixed text.
class FixedLinkInode final : public LinkInode {
 public:
  FixedLinkInode(SuperBlock& sb, u64 ino, lib::String target)
      : LinkInode(sb, ino), target_(lib::move(target)) {
    set_size(target_.size());
  }
  Result<LinkTarget> GetLink(const Actor&) override;

 private:
  lib::String target_;
};

/// A generated directory.
class DirInode : public SynthInode {
 public:
  DirInode(SuperBlock& sb, u64 ino, u32 mode = 0555, u32 uid = 0, u32 gid = 0)
      : SynthInode(sb, ino, mode::kDirectory | (mode & mode::kPermMask), uid, gid) {
    set_nlink(2);
  }
  /// No files can be made here: EACCES, as Linux's vfs_create answers without ->create.
  Result<lib::RefPtr<Inode>> Create(lib::string_view, u32, u32, u32, u64) override {
    return Errno::kEACCES;
  }
};

/// A directory with a fixed table of entries, then (optionally) generated ones.
class TableDir : public DirInode {
 public:
  struct Entry {
    const char* name;
    u32 mode;  ///< type and permissions
    /// Makes the inode; `ino` is its stable number, `arg` the directory's argument.
    Result<lib::RefPtr<Inode>> (*make)(SuperBlock& sb, u64 ino, const Entry& e, i64 arg);
    /// For the common text files: the generator/store (used by MakeText).
    FnTextInode::GenerateFn gen = nullptr;
    FnTextInode::StoreFn store = nullptr;
  };

  TableDir(SuperBlock& sb, u64 ino, lib::span<const Entry> entries, i64 arg, u32 mode = 0555)
      : DirInode(sb, ino, mode), entries_(entries), arg_(arg) {}

  Result<lib::RefPtr<Inode>> Lookup(lib::string_view name) override;
  Result<void> ReadDir(u64& cookie, DirSink& sink) override;

  i64 arg() const { return arg_; }

  /// Entry makers for tables.
  static Result<lib::RefPtr<Inode>> MakeText(SuperBlock& sb, u64 ino, const Entry& e, i64 arg);

 protected:
  /// Generated entries after the table: the one called `name` (ENOENT), and a listing from
  /// position `index` (0 = the first generated entry). The listing emits with cookies from
  /// CookieOf(index).
  virtual Result<lib::RefPtr<Inode>> LookupExtra(lib::string_view) { return Errno::kENOENT; }
  virtual Result<void> ReadDirExtra(u64& index, DirSink&) {
    (void)index;
    return Ok();
  }
  /// The getdents cookie that resumes at generated entry `index`.
  u64 CookieOf(u64 index) const { return 2 + entries_.size() + index; }

 private:
  lib::span<const Entry> entries_;
  i64 arg_;
};

/// The file a TextInode opens: its text, read (and seeked) like a string.
class TextFile final : public File {
 public:
  TextFile(const Path& path, lib::RefPtr<Inode> inode, u32 flags, lib::String text);
  Result<usize> Read(const IoBuffer& buf, u64& offset) override;
  Result<usize> Write(const IoBuffer& buf, u64& offset) override;
  Result<u64> Seek(i64 offset, int whence) override;

 private:
  lib::String text_;
};

}  // namespace kernel::fs::synth
