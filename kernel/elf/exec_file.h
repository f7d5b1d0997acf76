#pragma once
/// What execve needs from a file: its bytes (headers, the interpreter path) and its pages
/// (PT_LOAD segments are mapped from them). The VFS provides an ExecFile for an open file
/// (kernel/fs); MemoryExecFile serves a byte buffer (unit tests, the sim harness), so the
/// loader is testable without a file system. An ExecOpener finds files by path: execve's
/// interpreters (PT_INTERP and `#!`).
#include "kernel/lib/ref_ptr.h"
#include "kernel/lib/result.h"
#include "kernel/lib/std.h"
#include "kernel/mm/memory_object.h"

namespace kernel::proc {
class Task;
}
namespace kernel::fs {
class File;
}

namespace kernel::elf {

class ExecFile : public lib::RefCounted<ExecFile> {
 public:
  virtual ~ExecFile() = default;
  /// Reads up to n bytes at `offset`; fewer only at the end of the file. EIO.
  virtual Result<usize> ReadAt(void* buf, usize n, u64 offset) = 0;
  /// The file's pages, for private mappings of its segments.
  virtual lib::RefPtr<mm::MemoryObject> pages() = 0;
  /// The open VFS file behind it (its path is /proc/<pid>/exe), or null for a file that
  /// lives outside the VFS (unit tests).
  virtual fs::File* vfs_file() { return nullptr; }

 protected:
  ExecFile() = default;
};

/// An ExecFile over bytes in kernel memory; the bytes must outlive it.
class MemoryExecFile final : public ExecFile {
 public:
  static Result<lib::RefPtr<ExecFile>> Create(const u8* data, usize size);
  explicit MemoryExecFile(lib::RefPtr<mm::BufferObject> buffer) : buffer_(lib::move(buffer)) {}
  Result<usize> ReadAt(void* buf, usize n, u64 offset) override {
    return buffer_->ReadAt(buf, n, offset);
  }
  lib::RefPtr<mm::MemoryObject> pages() override { return lib::RefPtr<mm::MemoryObject>(buffer_); }

 private:
  lib::RefPtr<mm::BufferObject> buffer_;
};

/// Finds executables by path for execve (the interpreters it names). ENOENT, EACCES, ...
class ExecOpener {
 public:
  virtual Result<lib::RefPtr<ExecFile>> Open(proc::Task& task, lib::string_view path) = 0;

 protected:
  ~ExecOpener() = default;
};

}  // namespace kernel::elf
