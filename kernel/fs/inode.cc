#include "kernel/fs/inode.h"

#include "kernel/fs/devices.h"
#include "kernel/fs/file.h"
#include "kernel/fs/locks.h"
#include "kernel/fs/path.h"
#include "kernel/fs/pipe.h"
#include "kernel/fs/time.h"

namespace kernel::fs {

Inode::Inode(SuperBlock& sb, u64 ino, u32 mode, u32 uid, u32 gid)
    : sb_(&sb), ino_(ino), mode_(mode), uid_(uid), gid_(gid) {
  set_times(CurrentTime());
}

Inode::~Inode() { DestroyLockState(*this); }

Result<lib::RefPtr<Inode>> Inode::Lookup(lib::string_view) { return Errno::kENOTDIR; }
Result<lib::RefPtr<Inode>> Inode::Create(lib::string_view, u32, u32, u32, u64) {
  return is_dir() ? Errno::kEPERM : Errno::kENOTDIR;
}
Result<lib::RefPtr<Inode>> Inode::MkDir(lib::string_view, u32, u32, u32) {
  return is_dir() ? Errno::kEPERM : Errno::kENOTDIR;
}
Result<lib::RefPtr<Inode>> Inode::Symlink(lib::string_view, lib::string_view, u32, u32) {
  return is_dir() ? Errno::kEPERM : Errno::kENOTDIR;
}
Result<void> Inode::Link(lib::string_view, Inode&) {
  return is_dir() ? Errno::kEPERM : Errno::kENOTDIR;
}
Result<void> Inode::Unlink(lib::string_view, Inode&) {
  return is_dir() ? Errno::kEPERM : Errno::kENOTDIR;
}
Result<void> Inode::RmDir(lib::string_view, Inode&) {
  return is_dir() ? Errno::kEPERM : Errno::kENOTDIR;
}
Result<void> Inode::Rename(lib::string_view, Inode&, lib::string_view, u32) {
  return is_dir() ? Errno::kEPERM : Errno::kENOTDIR;
}
Result<lib::RefPtr<Inode>> Inode::CreateTmpFile(u32, u32, u32) { return Errno::kEOPNOTSUPP; }
Result<void> Inode::ReadDir(u64&, DirSink&) { return Errno::kENOTDIR; }

Result<usize> Inode::Read(const IoBuffer&, u64) { return Errno::kEINVAL; }
Result<usize> Inode::Write(const IoBuffer&, u64) { return Errno::kEINVAL; }
Result<void> Inode::Truncate(u64) { return Errno::kEINVAL; }
Result<PhysAddr> Inode::GetPage(u64) { return Errno::kENODEV; }
Result<u64> Inode::SeekData(u64 offset, bool hole) {
  if (offset >= size_) return Errno::kENXIO;
  return hole ? size_ : offset;
}

Result<LinkTarget> Inode::GetLink(const Actor&) { return Errno::kEINVAL; }

Result<lib::RefPtr<File>> Inode::Open(const Path& path, u32 flags, const Actor& actor) {
  lib::RefPtr<Inode> self(this);
  switch (type()) {
    case mode::kDirectory:
      return MakeFile<DirectoryFile>(path, self, flags);
    case mode::kRegular:
      return MakeFile<InodeFile>(path, self, flags);
    case mode::kFifo:
      return OpenFifo(path, self, flags);
    case mode::kChar:
      return OpenCharDevice(path, self, flags, actor);
    default:
      // Block devices wait for a block layer; sockets are opened with connect(2), not open.
      return Errno::kENXIO;
  }
}

Result<void> Inode::SetAttr(const AttrChange& c) {
  if (c.valid & AttrChange::kMode) mode_ = (mode_ & mode::kTypeMask) | (c.mode & mode::kPermMask);
  if (c.valid & AttrChange::kUid) uid_ = c.uid;
  if (c.valid & AttrChange::kGid) gid_ = c.gid;
  if (c.valid & AttrChange::kAtime) atime_ = c.atime;
  if (c.valid & AttrChange::kMtime) mtime_ = c.mtime;
  if (c.valid & AttrChange::kCtime) ctime_ = c.ctime;
  return Ok();
}

void Inode::TouchAtime() {
  // relatime, Linux's default: update only when atime is not newer than mtime/ctime, or is a
  // day old, so that "was it read since it changed" still works without a write per read.
  Timespec now = CurrentTime();
  if (atime_ <= mtime_ || atime_ <= ctime_ || now.sec - atime_.sec >= i64{24} * 3600) atime_ = now;
}
void Inode::TouchMtime() { mtime_ = ctime_ = CurrentTime(); }
void Inode::TouchCtime() { ctime_ = CurrentTime(); }

}  // namespace kernel::fs
