#pragma once
/// The pages of an open file seen as an mm::MemoryObject: what mmap(fd) and execve's PT_LOAD
/// segments map. Pages come from the file's own page cache (File::GetPage, normally the
/// inode's), so every mapping of one inode shares them: a MAP_SHARED store is seen by read(2)
/// and by other mappings, a MAP_PRIVATE one copies first (kernel/mm/fault.cc).
#include "kernel/fs/file.h"
#include "kernel/mm/memory_object.h"

namespace kernel::fs {

class FilePages final : public mm::MemoryObject {
 public:
  /// ENOMEM.
  static Result<lib::RefPtr<mm::MemoryObject>> Create(lib::RefPtr<File> file);
  explicit FilePages(lib::RefPtr<File> file) : file_(lib::move(file)) {}
  /// ENXIO for a page wholly past the end of the file: the fault path's SIGBUS.
  Result<PhysAddr> GetPage(u64 index) override;
  File& file() const { return *file_; }
  File* mapped_file() const override { return file_.get(); }
  /// Every mapping of one inode shares its pages.
  const void* mapping_key() const override;

 private:
  lib::RefPtr<File> file_;  // keeps the file (and its inode) alive as long as a mapping
};

/// truncate(2) shrank `inode` to `new_size`: every mapped page wholly past it goes from every
/// address space, so that touching it faults and gets SIGBUS [mm/truncate.c
/// truncate_pagecache].
void ZapMappingsPast(const Inode& inode, u64 new_size);

}  // namespace kernel::fs
