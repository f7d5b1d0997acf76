#pragma once
/// tmpfs: a read-write file system in memory [Documentation/filesystems/tmpfs.rst]. Regular
/// files keep their data in a PageMap (sparse: holes cost nothing and read as zeros), which is
/// also their page cache, so MAP_SHARED mappings and read/write see the same pages.
/// Directories keep their entries in insertion order with stable cookies, so getdents resumes
/// correctly while entries come and go. Hard links, symlinks, device nodes, FIFOs and sockets
/// are supported; timestamps follow POSIX.
///
/// Limits (mount options, remountable): size= (bytes of file data, default half of RAM),
/// nr_inodes= (default half of RAM in pages), mode=, uid=, gid= (of the root directory).
#include "kernel/fs/inode.h"
#include "kernel/fs/page_map.h"
#include "kernel/fs/super_block.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vector.h"

namespace kernel::fs::tmpfs {

class TmpfsSuperBlock final : public SuperBlock {
 public:
  TmpfsSuperBlock(const FileSystemType& type, u64 flags);

  void StatFs(fs::StatFs& out) const override;
  Result<void> Remount(u64 flags, lib::string_view data) override;
  void ShowOptions(lib::StringBuilder& out) const override;

  /// Applies size=, nr_inodes=, mode=, uid=, gid= (EINVAL for anything else).
  Result<void> ParseOptions(lib::string_view data, bool remount);

  /// Accounting: ENOSPC when a limit would be passed.
  Result<void> ChargePage();
  void UnchargePage() { --used_pages_; }
  Result<void> ChargeInode();
  void UnchargeInode() { --used_inodes_; }

  u32 root_mode() const { return root_mode_; }
  u32 root_uid() const { return root_uid_; }
  u32 root_gid() const { return root_gid_; }

 private:
  u64 max_pages_;
  u64 used_pages_ = 0;
  u64 max_inodes_;
  u64 used_inodes_ = 0;
  u32 root_mode_ = 01777;
  u32 root_uid_ = 0;
  u32 root_gid_ = 0;
  bool size_set_ = false;
  bool inodes_set_ = false;
};

/// Every tmpfs inode: its superblock does the inode accounting.
class TmpfsInode : public Inode {
 public:
  ~TmpfsInode() override;
  TmpfsSuperBlock& tsb() const { return static_cast<TmpfsSuperBlock&>(sb()); }
  Result<void> SetAttr(const AttrChange& c) override { return Inode::SetAttr(c); }

 protected:
  TmpfsInode(TmpfsSuperBlock& sb, u32 mode, u32 uid, u32 gid);
  friend class TmpfsDir;
  void DropLink() { set_nlink(nlink() - 1); }
  void AddLink() { set_nlink(nlink() + 1); }
  void SetLinks(u32 n) { set_nlink(n); }
};

class TmpfsDir final : public TmpfsInode {
 public:
  TmpfsDir(TmpfsSuperBlock& sb, u32 mode, u32 uid, u32 gid, u64 parent_ino);

  Result<lib::RefPtr<Inode>> Lookup(lib::string_view name) override;
  Result<lib::RefPtr<Inode>> Create(lib::string_view name, u32 mode, u32 uid, u32 gid,
                                    u64 rdev) override;
  Result<lib::RefPtr<Inode>> MkDir(lib::string_view name, u32 mode, u32 uid, u32 gid) override;
  Result<lib::RefPtr<Inode>> Symlink(lib::string_view name, lib::string_view target, u32 uid,
                                     u32 gid) override;
  Result<void> Link(lib::string_view name, Inode& target) override;
  Result<void> Unlink(lib::string_view name, Inode& victim) override;
  Result<void> RmDir(lib::string_view name, Inode& victim) override;
  Result<void> Rename(lib::string_view old_name, Inode& new_dir, lib::string_view new_name,
                      u32 flags) override;
  Result<lib::RefPtr<Inode>> CreateTmpFile(u32 mode, u32 uid, u32 gid) override;
  Result<void> ReadDir(u64& cookie, DirSink& sink) override;

  bool empty() const { return entries_.empty(); }
  usize entry_count() const { return entries_.size(); }

 private:
  struct Entry {
    lib::String name;
    lib::RefPtr<Inode> inode;
    u64 cookie;
  };
  Entry* Find(lib::string_view name);
  usize IndexOf(lib::string_view name) const;
  Result<void> AddEntry(lib::string_view name, lib::RefPtr<Inode> inode);
  void RemoveEntry(lib::string_view name);
  void EntriesChanged();

  lib::Vector<Entry> entries_;  // in cookie order
  u64 next_cookie_ = 2;         // 0 and 1 are "." and ".."
  u64 parent_ino_;
};

class TmpfsFile final : public TmpfsInode {
 public:
  TmpfsFile(TmpfsSuperBlock& sb, u32 mode, u32 uid, u32 gid);
  ~TmpfsFile() override;

  u64 blocks() const override { return pages_.count() * (kPageSize / 512); }
  Result<usize> Read(const IoBuffer& buf, u64 offset) override;
  Result<usize> Write(const IoBuffer& buf, u64 offset) override;
  Result<void> Truncate(u64 size) override;
  Result<PhysAddr> GetPage(u64 index) override;
  Result<u64> SeekData(u64 offset, bool hole) override;

  /// MAX_LFS_FILESIZE is larger; this is what the page map can index.
  static constexpr u64 kMaxSize = (PageMap::kMaxIndex + 1) * kPageSize;

 private:
  Result<PhysAddr> PageForWrite(u64 index);
  PageMap pages_;
};

class TmpfsSymlink final : public TmpfsInode {
 public:
  TmpfsSymlink(TmpfsSuperBlock& sb, u32 uid, u32 gid, lib::String target);
  Result<LinkTarget> GetLink(const Actor& actor) override;

 private:
  lib::String target_;
};

/// Device nodes, FIFOs and sockets: attributes only.
class TmpfsNode final : public TmpfsInode {
 public:
  TmpfsNode(TmpfsSuperBlock& sb, u32 mode, u32 uid, u32 gid, u64 rdev);
};

/// The file-system types: "tmpfs", and "ramfs"/"devtmpfs" which are tmpfs here.
extern const FileSystemType kTmpfsType;
extern const FileSystemType kRamfsType;
extern const FileSystemType kDevtmpfsType;
/// The initramfs root ("rootfs" in /proc/mounts).
extern const FileSystemType kRootfsType;
/// Forgets the single devtmpfs instance (tests that build several roots).
void ResetDevtmpfsForTesting();

/// A fresh tmpfs instance (kernel-internal mounts and tests); returns its root dentry.
Result<lib::RefPtr<Dentry>> CreateInstance(const FileSystemType& type, const MountArgs& args);

}  // namespace kernel::fs::tmpfs
