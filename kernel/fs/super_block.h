#pragma once
/// A SuperBlock is one instance of a file system (one tmpfs, the procfs); a FileSystemType is
/// the kind (its name in mount(2) and /proc/filesystems) and knows how to make instances.
///
/// Lifetime: every Inode holds a reference to its SuperBlock, and every Mount holds one, so a
/// file system lives until its last mount is gone and its last inode (an open file, a cwd)
/// has been released. The SuperBlock holds nothing strong in return.
#include "kernel/fs/abi.h"
#include "kernel/lib/ref_ptr.h"
#include "kernel/lib/result.h"
#include "kernel/lib/std.h"
#include "kernel/lib/string.h"

namespace kernel::fs {

class Dentry;
struct FileSystemType;

/// What mount(2) passes to a file system: the source ("tmpfs", "/dev/sda1", "none"), the
/// superblock flags (ms::kRdOnly ...) and the option string ("size=64m,mode=755").
struct MountArgs {
  lib::string_view source;
  u64 flags = 0;
  lib::string_view data;
};

class SuperBlock : public lib::RefCounted<SuperBlock> {
 public:
  virtual ~SuperBlock();

  const FileSystemType& type() const { return *type_; }
  /// The device number files on this file system report in st_dev.
  u64 dev() const { return dev_; }
  i64 magic() const { return magic_; }
  bool read_only() const { return (flags_ & ms::kRdOnly) != 0; }
  u64 flags() const { return flags_; }

  /// A fresh inode number.
  u64 AllocateIno() { return next_ino_++; }

  /// Fills the statfs fields this file system knows; the VFS adds f_flags.
  virtual void StatFs(StatFs& out) const;
  /// MS_REMOUNT: new superblock flags and options.
  virtual Result<void> Remount(u64 flags, lib::string_view data);
  /// Appends the file system's own options for /proc/mounts (",size=...,mode=755").
  virtual void ShowOptions(lib::StringBuilder& out) const;
  /// Whether lookups that find nothing leave a negative dentry behind. Synthetic file
  /// systems whose names come and go on their own (procfs) say no.
  virtual bool cache_negative_dentries() const { return true; }

 protected:
  SuperBlock(const FileSystemType& type, i64 magic, u64 flags);

  u64 flags_;

 private:
  const FileSystemType* type_;
  i64 magic_;
  u64 dev_;
  u64 next_ino_ = 1;
};

/// A kind of file system.
struct FileSystemType {
  const char* name;
  /// Whether mount(2) needs a block device (false: "nodev" in /proc/filesystems).
  bool requires_device;
  /// Makes an instance (or returns the shared one) and returns its root dentry.
  Result<lib::RefPtr<Dentry>> (*mount)(const FileSystemType& type, const MountArgs& args);
};

/// The file system called `name`, or null.
const FileSystemType* FindFileSystem(lib::string_view name);
/// Calls fn(type) for each known file system, in /proc/filesystems order.
template <typename Fn>
void ForEachFileSystem(Fn fn);

namespace internal {
const FileSystemType* const* FileSystemList(usize* count);
}

template <typename Fn>
void ForEachFileSystem(Fn fn) {
  usize n = 0;
  const FileSystemType* const* list = internal::FileSystemList(&n);
  for (usize i = 0; i < n; ++i) fn(*list[i]);
}

/// Parses a size option as mount(8) writes them: "65536", "64k", "64m", "1g", or "50%" of RAM.
Result<u64> ParseSizeOption(lib::string_view s);

/// Splits "a=b,c,d=e" and calls fn(key, value) for each option (value empty when absent);
/// stops at the first error fn returns.
template <typename Fn>
Result<void> ForEachMountOption(lib::string_view data, Fn fn) {
  while (!data.empty()) {
    usize comma = data.find(',');
    lib::string_view opt = data.substr(0, comma);
    data = comma == lib::string_view::npos ? lib::string_view() : data.substr(comma + 1);
    if (opt.empty()) continue;
    usize eq = opt.find('=');
    lib::string_view key = opt.substr(0, eq);
    lib::string_view value = eq == lib::string_view::npos ? lib::string_view() : opt.substr(eq + 1);
    TRY(fn(key, value));
  }
  return Ok();
}

}  // namespace kernel::fs
