// tmpfs directories: entries in cookie order, link counts, rename.
#include "kernel/fs/tmpfs/tmpfs.h"

namespace kernel::fs::tmpfs {
namespace {

// Makes a tmpfs inode of type T after charging the inode limit.
template <typename T, typename... Args>
Result<lib::RefPtr<Inode>> MakeInode(TmpfsSuperBlock& sb, Args&&... args) {
  TRY(sb.ChargeInode());
  Result<T*> r = lib::TryNew<T>(sb, lib::forward<Args>(args)...);
  if (r.is_error()) {
    sb.UnchargeInode();
    return r.error();
  }
  return lib::RefPtr<Inode>(lib::AdoptRef<Inode>(r.value()));
}

}  // namespace

TmpfsDir::TmpfsDir(TmpfsSuperBlock& sb, u32 mode, u32 uid, u32 gid, u64 parent_ino)
    : TmpfsInode(sb, mode, uid, gid), parent_ino_(parent_ino == 0 ? ino() : parent_ino) {
  set_nlink(2);
}

TmpfsDir::Entry* TmpfsDir::Find(lib::string_view name) {
  for (Entry& e : entries_) {
    if (e.name.view() == name) return &e;
  }
  return nullptr;
}

usize TmpfsDir::IndexOf(lib::string_view name) const {
  for (usize i = 0; i < entries_.size(); ++i) {
    if (entries_[i].name.view() == name) return i;
  }
  return entries_.size();
}

Result<void> TmpfsDir::AddEntry(lib::string_view name, lib::RefPtr<Inode> inode) {
  lib::String copy = TRY(lib::String::TryFrom(name));
  TRY(entries_.TryPush(Entry{lib::move(copy), lib::move(inode), next_cookie_}));
  ++next_cookie_;
  EntriesChanged();
  return Ok();
}

void TmpfsDir::RemoveEntry(lib::string_view name) {
  usize i = IndexOf(name);
  if (i < entries_.size()) entries_.Erase(i);
  EntriesChanged();
}

void TmpfsDir::EntriesChanged() {
  set_size(entries_.size() * 20);  // tmpfs reports a made-up size; 20 per entry as shmem does
  TouchMtime();
}

Result<lib::RefPtr<Inode>> TmpfsDir::Lookup(lib::string_view name) {
  Entry* e = Find(name);
  if (e == nullptr) return Errno::kENOENT;
  return e->inode;
}

Result<lib::RefPtr<Inode>> TmpfsDir::Create(lib::string_view name, u32 m, u32 uid, u32 gid,
                                            u64 rdev) {
  if (Find(name) != nullptr) return Errno::kEEXIST;
  lib::RefPtr<Inode> inode;
  if (IsReg(m)) {
    inode = TRY(MakeInode<TmpfsFile>(tsb(), m, uid, gid));
  } else if (IsChr(m) || IsBlk(m) || IsFifo(m) || IsSock(m)) {
    inode = TRY(MakeInode<TmpfsNode>(tsb(), m, uid, gid, rdev));
  } else {
    return Errno::kEINVAL;
  }
  TRY(AddEntry(name, inode));
  return inode;
}

Result<lib::RefPtr<Inode>> TmpfsDir::MkDir(lib::string_view name, u32 m, u32 uid, u32 gid) {
  if (Find(name) != nullptr) return Errno::kEEXIST;
  lib::RefPtr<Inode> inode = TRY(MakeInode<TmpfsDir>(tsb(), m, uid, gid, ino()));
  TRY(AddEntry(name, inode));
  AddLink();  // the child's ".."
  return inode;
}

Result<lib::RefPtr<Inode>> TmpfsDir::Symlink(lib::string_view name, lib::string_view target,
                                             u32 uid, u32 gid) {
  if (Find(name) != nullptr) return Errno::kEEXIST;
  lib::String text = TRY(lib::String::TryFrom(target));
  lib::RefPtr<Inode> inode = TRY(MakeInode<TmpfsSymlink>(tsb(), uid, gid, lib::move(text)));
  TRY(AddEntry(name, inode));
  return inode;
}

Result<void> TmpfsDir::Link(lib::string_view name, Inode& target) {
  if (Find(name) != nullptr) return Errno::kEEXIST;
  TRY(AddEntry(name, lib::RefPtr<Inode>(&target)));
  static_cast<TmpfsInode&>(target).AddLink();
  target.TouchCtime();
  return Ok();
}

Result<void> TmpfsDir::Unlink(lib::string_view name, Inode& victim) {
  lib::RefPtr<Inode> keep(&victim);
  RemoveEntry(name);
  static_cast<TmpfsInode&>(victim).DropLink();
  victim.TouchCtime();
  return Ok();
}

Result<void> TmpfsDir::RmDir(lib::string_view name, Inode& victim) {
  auto& dir = static_cast<TmpfsDir&>(victim);
  if (!dir.empty()) return Errno::kENOTEMPTY;
  lib::RefPtr<Inode> keep(&victim);
  RemoveEntry(name);
  dir.SetLinks(0);
  dir.TouchCtime();
  DropLink();  // its ".." is gone
  return Ok();
}

Result<void> TmpfsDir::Rename(lib::string_view old_name, Inode& new_dir_inode,
                              lib::string_view new_name, u32 flags) {
  auto& new_dir = static_cast<TmpfsDir&>(new_dir_inode);
  Entry* src = Find(old_name);
  if (src == nullptr) return Errno::kENOENT;
  lib::RefPtr<Inode> moving = src->inode;
  Entry* dst = new_dir.Find(new_name);
  bool moving_dir = moving->is_dir();

  if (flags & kRenameExchange) {
    if (dst == nullptr) return Errno::kENOENT;
    lib::RefPtr<Inode> other = dst->inode;
    if (moving == other) return Ok();
    src->inode = other;
    dst->inode = moving;
    if (this != &new_dir && moving_dir != other->is_dir()) {
      // A directory changed parents in one direction only: move one ".." link.
      if (moving_dir) {
        DropLink();
        new_dir.AddLink();
      } else {
        new_dir.DropLink();
        AddLink();
      }
    }
    if (moving_dir) static_cast<TmpfsDir&>(*moving).parent_ino_ = new_dir.ino();
    if (other->is_dir()) static_cast<TmpfsDir&>(*other).parent_ino_ = ino();
    moving->TouchCtime();
    other->TouchCtime();
    EntriesChanged();
    if (this != &new_dir) new_dir.EntriesChanged();
    return Ok();
  }

  if (dst != nullptr) {
    if (flags & kRenameNoReplace) return Errno::kEEXIST;
    if (dst->inode == moving) return Ok();  // two links to the same file: nothing to do
    lib::RefPtr<Inode> victim = dst->inode;
    if (victim->is_dir()) {
      if (!static_cast<TmpfsDir&>(*victim).empty()) return Errno::kENOTEMPTY;
      static_cast<TmpfsInode&>(*victim).SetLinks(0);
      new_dir.DropLink();
    } else {
      static_cast<TmpfsInode&>(*victim).DropLink();
    }
    victim->TouchCtime();
    dst->inode = moving;
  } else {
    // Reserve the new entry before touching the old one, so ENOMEM changes nothing.
    TRY(new_dir.AddEntry(new_name, moving));
  }
  RemoveEntry(old_name);
  if (moving_dir && this != &new_dir) {
    DropLink();
    new_dir.AddLink();
    static_cast<TmpfsDir&>(*moving).parent_ino_ = new_dir.ino();
  }
  moving->TouchCtime();
  new_dir.EntriesChanged();
  return Ok();
}

Result<lib::RefPtr<Inode>> TmpfsDir::CreateTmpFile(u32 m, u32 uid, u32 gid) {
  lib::RefPtr<Inode> inode = TRY(MakeInode<TmpfsFile>(tsb(), m, uid, gid));
  static_cast<TmpfsInode&>(*inode).SetLinks(0);  // unnamed until linkat(AT_EMPTY_PATH)
  return inode;
}

Result<void> TmpfsDir::ReadDir(u64& cookie, DirSink& sink) {
  if (!EmitDots(sink, cookie, ino(), parent_ino_)) return Ok();
  // First entry whose cookie is at or after the position (entries are in cookie order).
  usize lo = 0, hi = entries_.size();
  while (lo < hi) {
    usize mid = (lo + hi) / 2;
    if (entries_[mid].cookie < cookie) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  for (usize i = lo; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    if (!sink.Emit(e.name.view(), e.inode->ino(), DirentType(e.inode->mode()), e.cookie + 1)) {
      return Ok();
    }
    cookie = e.cookie + 1;
  }
  // Past the end: stay put, so entries added later are seen by a later call.
  return Ok();
}

}  // namespace kernel::fs::tmpfs
