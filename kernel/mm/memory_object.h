#pragma once
/// MemoryObject: what a mapping that is not private anonymous memory maps pages from. A file's
/// page cache (kernel/fs), the pages of MAP_SHARED|MAP_ANONYMOUS memory (AnonObject), or a
/// byte buffer (BufferObject: ELF images in tests and the sim harness).
///
/// Pages handed out by GetPage are the object's own: a shared mapping writes them in place; a
/// private mapping maps them read-only and copies on the first write (kernel/mm/fault.cc).
#include "kernel/lib/hash_map.h"
#include "kernel/lib/ref_ptr.h"
#include "kernel/lib/result.h"
#include "kernel/lib/types.h"

namespace kernel::fs {
class File;
}  // namespace kernel::fs

namespace kernel::mm {

class MemoryObject : public lib::RefCounted<MemoryObject> {
 public:
  virtual ~MemoryObject() = default;
  /// The page holding bytes [index * 4096, (index + 1) * 4096) of the object, with one
  /// reference for the caller (drop it with PutPage). Bytes past the object's end read as
  /// zero. ENOMEM when no page can be had; EIO when the backing store fails.
  virtual Result<PhysAddr> GetPage(u64 index) = 0;
  /// Forgets the object's copy of pages [first, first + count) (MADV_REMOVE): the next
  /// GetPage returns zeroes. Objects that cannot (file caches) say EINVAL.
  virtual Result<void> DiscardPages(u64 first, u64 count) {
    (void)first;
    (void)count;
    return Errno::kEINVAL;
  }
  /// What the object's pages belong to: objects with the same key map the same pages (every
  /// mmap of one file makes its own object; the file's inode is the key). Truncation finds
  /// the mappings to zap by it (AddressSpace::ZapObjectPages).
  virtual const void* mapping_key() const { return this; }
  /// The open file whose pages these are (Linux's vm_file), for what /proc/<pid>/maps shows
  /// of a mapping: its device, inode and path. Null for memory no file stands behind.
  virtual fs::File* mapped_file() const { return nullptr; }

 protected:
  MemoryObject() = default;
};

/// The memory behind MAP_SHARED|MAP_ANONYMOUS (Linux's shmem file): zero-filled pages made on
/// first use and kept until the last mapping goes, shared by every process that inherits the
/// mapping across fork.
class AnonObject final : public MemoryObject {
 public:
  static Result<lib::RefPtr<MemoryObject>> Create();
  AnonObject() = default;
  ~AnonObject() override;
  Result<PhysAddr> GetPage(u64 index) override;
  Result<void> DiscardPages(u64 first, u64 count) override;
  usize resident_pages() const { return pages_.size(); }

 private:
  lib::HashMap<u64, PhysAddr> pages_;
};

/// A read-only byte buffer seen as a file: ELF images loaded from memory (unit tests, the sim
/// harness, before the VFS provides files). Pages are filled on first use and cached, as a
/// page cache would. The buffer must outlive the object.
class BufferObject final : public MemoryObject {
 public:
  static Result<lib::RefPtr<BufferObject>> Create(const u8* data, usize size);
  BufferObject(const u8* data, usize size) : data_(data), size_(size) {}
  ~BufferObject() override;
  Result<PhysAddr> GetPage(u64 index) override;
  /// Copies up to n bytes at `offset` into `dst`; returns how many (0 at or past the end).
  usize ReadAt(void* dst, usize n, u64 offset) const;
  usize size() const { return size_; }

 private:
  const u8* data_;
  usize size_;
  lib::HashMap<u64, PhysAddr> pages_;
};

}  // namespace kernel::mm
