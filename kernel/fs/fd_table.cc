#include "kernel/fs/fd_table.h"

#include "kernel/fs/locks.h"

namespace kernel::fs {

Result<lib::RefPtr<FdTable>> FdTable::Create() { return lib::TryMakeRef<FdTable>(); }

FdTable::~FdTable() { CloseAll(); }

Result<lib::RefPtr<File>> FdTable::Get(int fd) const {
  if (fd < 0 || static_cast<usize>(fd) >= slots_.size() || !slots_[fd].file) {
    return Errno::kEBADF;
  }
  return slots_[fd].file;
}

Result<void> FdTable::Grow(usize n) {
  if (n <= slots_.size()) return Ok();
  // Grow geometrically so that filling a table one fd at a time is linear.
  usize target = slots_.size() < 16 ? 16 : slots_.size() * 2;
  if (target < n) target = n;
  if (target > limit_) target = limit_ > n ? limit_ : n;
  return slots_.TryResize(target);
}

Result<int> FdTable::Install(lib::RefPtr<File> file, u32 fd_flags, int min_fd) {
  if (min_fd < 0) return Errno::kEINVAL;
  if (static_cast<u32>(min_fd) >= limit_) return Errno::kEINVAL;
  usize start = static_cast<usize>(min_fd);
  if (start < lowest_free_hint_) start = lowest_free_hint_;
  usize fd = start;
  while (fd < slots_.size() && slots_[fd].file) ++fd;
  if (fd >= limit_) return Errno::kEMFILE;
  TRY(Grow(fd + 1));
  slots_[fd].file = lib::move(file);
  slots_[fd].fd_flags = fd_flags & kFdCloexec;
  if (static_cast<usize>(min_fd) <= lowest_free_hint_) lowest_free_hint_ = fd + 1;
  return static_cast<int>(fd);
}

Result<void> FdTable::InstallAt(int fd, lib::RefPtr<File> file, u32 fd_flags) {
  if (fd < 0 || static_cast<u32>(fd) >= limit_) return Errno::kEBADF;
  TRY(Grow(static_cast<usize>(fd) + 1));
  lib::RefPtr<File> old = lib::move(slots_[fd].file);
  slots_[fd].file = lib::move(file);
  slots_[fd].fd_flags = fd_flags & kFdCloexec;
  if (old) DropFile(old);
  return Ok();
}

Result<lib::RefPtr<File>> FdTable::Remove(int fd) {
  if (fd < 0 || static_cast<usize>(fd) >= slots_.size() || !slots_[fd].file) {
    return Errno::kEBADF;
  }
  lib::RefPtr<File> file = lib::move(slots_[fd].file);
  slots_[fd].fd_flags = 0;
  if (static_cast<usize>(fd) < lowest_free_hint_) lowest_free_hint_ = static_cast<usize>(fd);
  ReleasePosixLocks(*file, this);
  return file;
}

void FdTable::CloseRange(u32 first, u32 last, bool cloexec_only) {
  for (usize fd = first; fd < slots_.size() && fd <= last; ++fd) {
    if (!slots_[fd].file) continue;
    if (cloexec_only) {
      slots_[fd].fd_flags |= kFdCloexec;
    } else {
      (void)Remove(static_cast<int>(fd));
    }
  }
}

Result<u32> FdTable::GetFdFlags(int fd) const {
  TRY(Get(fd));
  return slots_[fd].fd_flags;
}

Result<void> FdTable::SetFdFlags(int fd, u32 fd_flags) {
  TRY(Get(fd));
  slots_[fd].fd_flags = fd_flags & kFdCloexec;
  return Ok();
}

Result<lib::RefPtr<FdTable>> FdTable::Clone() const {
  lib::RefPtr<FdTable> copy = TRY(Create());
  copy->limit_ = limit_;
  // Only as many slots as reach the highest open fd.
  usize used = slots_.size();
  while (used > 0 && !slots_[used - 1].file) --used;
  TRY(copy->slots_.TryResize(used));
  for (usize i = 0; i < used; ++i) {
    copy->slots_[i].file = slots_[i].file;
    copy->slots_[i].fd_flags = slots_[i].fd_flags;
  }
  copy->lowest_free_hint_ = lowest_free_hint_ < used ? lowest_free_hint_ : used;
  return copy;
}

void FdTable::CloseOnExec() {
  for (usize fd = 0; fd < slots_.size(); ++fd) {
    if (slots_[fd].file && (slots_[fd].fd_flags & kFdCloexec)) (void)Remove(static_cast<int>(fd));
  }
}

void FdTable::CloseAll() {
  for (usize fd = 0; fd < slots_.size(); ++fd) {
    if (slots_[fd].file) (void)Remove(static_cast<int>(fd));
  }
  slots_.Reset();
  lowest_free_hint_ = 0;
}

usize FdTable::open_count() const {
  usize n = 0;
  for (const Slot& s : slots_) n += s.file ? 1 : 0;
  return n;
}

bool FdTable::HasFreeDescriptor() const {
  usize fd = lowest_free_hint_;
  while (fd < slots_.size() && slots_[fd].file) ++fd;
  return fd < limit_;
}

void FdTable::DropFile(const lib::RefPtr<File>& file) { ReleasePosixLocks(*file, this); }

}  // namespace kernel::fs
