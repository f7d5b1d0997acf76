#include "kernel/fs/file.h"

#include "kernel/mm/user_ptr.h"

namespace kernel::fs {

File::File(FileKind kind, Path path, lib::RefPtr<Inode> inode, u32 flags)
    : kind_(kind),
      flags_(flags & ~(o::kCreat | o::kExcl | o::kNoCtty | o::kTrunc | o::kCloexec)),
      path_(lib::move(path)),
      inode_(lib::move(inode)) {}

File::~File() {
  while (FileReleaseHook* hook = release_hooks_.PopFront()) hook->on_release(*hook, *this);
}

Result<usize> File::Read(const IoBuffer&, u64&) { return Errno::kEINVAL; }
Result<usize> File::Write(const IoBuffer&, u64&) { return Errno::kEINVAL; }
Result<void> File::ReadDir(DirSink&) { return Errno::kENOTDIR; }
u32 File::Poll() { return ev::kReadable | ev::kWritable; }
Result<i64> File::Ioctl(proc::Task&, u32, u64) { return Errno::kENOTTY; }
Result<lib::String> File::Describe() const { return Errno::kEINVAL; }

Result<PhysAddr> File::GetPage(u64 index) {
  if (!inode_) return Errno::kENODEV;
  return inode_->GetPage(index);
}

// generic_file_llseek: positions are byte offsets bounded by what an off_t can hold.
Result<u64> File::Seek(i64 offset, int whence) {
  if (!seekable()) return Errno::kESPIPE;
  u64 size = inode_ ? inode_->size() : 0;
  i64 base;
  switch (whence) {
    case kSeekSet:
      base = 0;
      break;
    case kSeekCur:
      base = static_cast<i64>(pos_);
      break;
    case kSeekEnd:
      base = static_cast<i64>(size);
      break;
    case kSeekData:
    case kSeekHole: {
      if (offset < 0 || static_cast<u64>(offset) >= size || !inode_) return Errno::kENXIO;
      u64 r = TRY(inode_->SeekData(static_cast<u64>(offset), whence == kSeekHole));
      pos_ = r;
      return r;
    }
    default:
      return Errno::kEINVAL;
  }
  i64 target;
  if (lib::AddOverflows(base, offset, &target) || target < 0) return Errno::kEINVAL;
  pos_ = static_cast<u64>(target);
  return pos_;
}

Result<usize> File::ReadAt(void* kernel_buffer, usize n, u64 offset) {
  if (!readable()) return Errno::kEBADF;
  u64 off = offset;
  return Read(IoBuffer::Kernel(kernel_buffer, n), off);
}

// ---- InodeFile ----

InodeFile::InodeFile(Path path, lib::RefPtr<Inode> inode, u32 flags)
    : File(FileKind::kInode, lib::move(path), lib::move(inode), flags) {}

Result<usize> InodeFile::Read(const IoBuffer& buf, u64& offset) {
  usize n = TRY(inode()->Read(buf, offset));
  offset += n;
  if ((flags() & o::kNoAtime) == 0) inode()->TouchAtime();
  return n;
}

Result<usize> InodeFile::Write(const IoBuffer& buf, u64& offset) {
  if (flags() & o::kAppend) offset = inode()->size();
  usize n = TRY(inode()->Write(buf, offset));
  offset += n;
  return n;
}

Result<i64> InodeFile::Ioctl(proc::Task&, u32 cmd, u64 arg) {
  if (cmd == ioctl::kFionread && inode()->is_regular()) {
    // For regular files FIONREAD is what is left after the position [fs/ioctl.c].
    u64 size = inode()->size();
    i64 left = size > pos_ ? static_cast<i64>(size - pos_) : 0;
    int v = left > 0x7fffffff ? 0x7fffffff : static_cast<int>(left);
    TRY(mm::UserOut<int>(arg).Write(v));
    return 0;
  }
  return Errno::kENOTTY;
}

// ---- DirectoryFile ----

DirectoryFile::DirectoryFile(Path path, lib::RefPtr<Inode> inode, u32 flags)
    : File(FileKind::kDirectory, lib::move(path), lib::move(inode), flags) {}

Result<usize> DirectoryFile::Read(const IoBuffer&, u64&) { return Errno::kEISDIR; }

Result<u64> DirectoryFile::Seek(i64 offset, int whence) {
  // Directory positions are cookies: only absolute and relative moves make sense.
  i64 base;
  if (whence == kSeekSet) {
    base = 0;
  } else if (whence == kSeekCur) {
    base = static_cast<i64>(pos_);
  } else {
    return Errno::kEINVAL;
  }
  i64 target;
  if (lib::AddOverflows(base, offset, &target) || target < 0) return Errno::kEINVAL;
  pos_ = static_cast<u64>(target);
  return pos_;
}

Result<void> DirectoryFile::ReadDir(DirSink& sink) {
  TRY(inode()->ReadDir(pos_, sink));
  inode()->TouchAtime();
  return Ok();
}

// ---- PathFile ----

PathFile::PathFile(Path path, lib::RefPtr<Inode> inode, u32 flags)
    : File(FileKind::kPath, lib::move(path), lib::move(inode), flags) {}

// An O_PATH file allows no operations on its contents: EBADF everywhere [man 2 open].
Result<usize> PathFile::Read(const IoBuffer&, u64&) { return Errno::kEBADF; }
Result<usize> PathFile::Write(const IoBuffer&, u64&) { return Errno::kEBADF; }
Result<u64> PathFile::Seek(i64, int) { return Errno::kEBADF; }
Result<void> PathFile::ReadDir(DirSink&) { return Errno::kEBADF; }
u32 PathFile::Poll() { return ev::kNval; }

}  // namespace kernel::fs
