#include "kernel/fs/namei.h"

#include "kernel/fs/path_walk.h"
#include "kernel/fs/permission.h"

namespace kernel::fs {
namespace {

// filename_create: the parent and the negative dentry for a new name. `want_dir` allows a
// trailing slash (mkdir).
struct CreateSite {
  Path parent;
  lib::RefPtr<Dentry> child;
};

Result<CreateSite> PrepareCreate(const Actor& actor, int dirfd, lib::string_view path,
                                 bool want_dir) {
  Walker w(actor, 0);
  TRY(w.Start(dirfd, path));
  TRY(w.WalkToParent());
  if (w.last_kind() != LastKind::kNormal) return Errno::kEEXIST;
  Path child = TRY(w.LookupLast(/*cross=*/false));
  if (!child.dentry->negative()) return Errno::kEEXIST;
  if (w.must_be_dir() && !want_dir) return Errno::kENOENT;
  TRY(MayCreate(actor.cred, w.parent()));
  return CreateSite{w.parent(), lib::move(child.dentry)};
}

void NewOwner(const Actor& actor, const Inode& dir, u32& uid, u32& gid) {
  uid = actor.cred.uid;
  gid = (dir.mode() & mode::kSetGid) ? dir.gid() : actor.cred.gid;
}

// A name for removal: the parent, the victim's dentry (not crossed into mounts).
struct RemoveSite {
  Path parent;
  lib::RefPtr<Dentry> victim;
  LastKind kind;
  bool trailing;
};

Result<RemoveSite> PrepareRemove(const Actor& actor, int dirfd, lib::string_view path) {
  Walker w(actor, 0);
  TRY(w.Start(dirfd, path));
  TRY(w.WalkToParent());
  RemoveSite site{w.parent(), nullptr, w.last_kind(), w.must_be_dir()};
  if (w.last_kind() != LastKind::kNormal) return site;
  Path child = TRY(w.LookupLast(/*cross=*/false));
  site.victim = lib::move(child.dentry);
  return site;
}

bool IsMountpoint(const Path& parent, const Dentry& d) {
  return d.mount_count() > 0 && parent.mnt->FindChildOn(d) != nullptr;
}

}  // namespace

Result<void> MakeDirectory(const Actor& actor, int dirfd, lib::string_view path, u32 mode) {
  CreateSite site = TRY(PrepareCreate(actor, dirfd, path, /*want_dir=*/true));
  Inode& dir = *site.parent.inode();
  u32 uid, gid;
  NewOwner(actor, dir, uid, gid);
  u32 m = mode::kDirectory | (mode & (0777 | mode::kSticky) & ~actor.fs->umask());
  if (dir.mode() & mode::kSetGid) m |= mode::kSetGid;
  lib::RefPtr<Inode> inode = TRY(dir.MkDir(site.child->name(), m, uid, gid));
  site.child->Instantiate(lib::move(inode));
  return Ok();
}

Result<void> MakeNode(const Actor& actor, int dirfd, lib::string_view path, u32 mode, u64 dev) {
  u32 type = mode & mode::kTypeMask;
  if (type == 0) type = mode::kRegular;
  switch (type) {
    case mode::kRegular:
    case mode::kFifo:
    case mode::kSocket:
      dev = 0;
      break;
    case mode::kChar:
    case mode::kBlock:
      if (!actor.cred.Has(Cap::kMknod)) return Errno::kEPERM;
      break;
    case mode::kDirectory:
      return Errno::kEPERM;
    default:
      return Errno::kEINVAL;
  }
  CreateSite site = TRY(PrepareCreate(actor, dirfd, path, /*want_dir=*/false));
  if ((type == mode::kChar || type == mode::kBlock) && (site.parent.mnt->flags() & ms::kNoDev)) {
    return Errno::kEPERM;
  }
  Inode& dir = *site.parent.inode();
  u32 uid, gid;
  NewOwner(actor, dir, uid, gid);
  u32 m = type | (mode & 07777 & ~actor.fs->umask());
  lib::RefPtr<Inode> inode = TRY(dir.Create(site.child->name(), m, uid, gid, dev));
  site.child->Instantiate(lib::move(inode));
  return Ok();
}

Result<void> Unlink(const Actor& actor, int dirfd, lib::string_view path, u32 at_flags) {
  if (at_flags & ~at::kRemoveDir) return Errno::kEINVAL;
  bool rmdir = (at_flags & at::kRemoveDir) != 0;
  RemoveSite site = TRY(PrepareRemove(actor, dirfd, path));
  if (rmdir) {
    if (site.kind == LastKind::kDot) return Errno::kEINVAL;
    if (site.kind == LastKind::kDotDot) return Errno::kENOTEMPTY;
    if (site.kind == LastKind::kNone) return Errno::kEBUSY;
  } else if (site.kind != LastKind::kNormal) {
    return Errno::kEISDIR;
  }
  Dentry& victim_d = *site.victim;
  if (victim_d.negative()) return Errno::kENOENT;
  Inode& victim = *victim_d.inode();
  if (rmdir) {
    if (!victim.is_dir()) return Errno::kENOTDIR;
  } else {
    if (site.trailing) return victim.is_dir() ? Errno::kEISDIR : Errno::kENOTDIR;
    if (victim.is_dir()) return Errno::kEISDIR;
  }
  TRY(MayDelete(actor.cred, site.parent, victim));
  if (IsMountpoint(site.parent, victim_d)) return Errno::kEBUSY;
  Inode& dir = *site.parent.inode();
  if (rmdir) {
    // The root of the caller's namespace or a mount's root cannot go.
    if (site.victim == site.parent.mnt->root()) return Errno::kEBUSY;
    TRY(dir.RmDir(victim_d.name(), victim));
    victim.MarkDeadDir();
  } else {
    TRY(dir.Unlink(victim_d.name(), victim));
  }
  victim_d.Unhash();
  return Ok();
}

Result<void> Rename(const Actor& actor, int old_dirfd, lib::string_view old_path, int new_dirfd,
                    lib::string_view new_path, u32 flags) {
  if (flags & ~(kRenameNoReplace | kRenameExchange | kRenameWhiteout)) return Errno::kEINVAL;
  if ((flags & kRenameNoReplace) && (flags & kRenameExchange)) return Errno::kEINVAL;
  if (flags & kRenameWhiteout) return Errno::kEINVAL;  // overlayfs whiteouts: not supported
  bool exchange = (flags & kRenameExchange) != 0;

  RemoveSite from = TRY(PrepareRemove(actor, old_dirfd, old_path));
  if (from.kind != LastKind::kNormal) return Errno::kEBUSY;
  RemoveSite to = TRY(PrepareRemove(actor, new_dirfd, new_path));
  if (to.kind != LastKind::kNormal)
    return (flags & kRenameNoReplace) ? Errno::kEEXIST : Errno::kEBUSY;
  if (from.parent.mnt != to.parent.mnt) return Errno::kEXDEV;

  Dentry& old_d = *from.victim;
  Dentry& new_d = *to.victim;
  if (old_d.negative()) return Errno::kENOENT;
  Inode& old_inode = *old_d.inode();
  bool old_dir = old_inode.is_dir();
  if (exchange) {
    if (new_d.negative()) return Errno::kENOENT;
  } else {
    if ((from.trailing || to.trailing) && !old_dir) return Errno::kENOTDIR;
    if (!new_d.negative() && (flags & kRenameNoReplace)) return Errno::kEEXIST;
  }
  Inode* new_inode = new_d.inode();
  if (new_inode == &old_inode) return Ok();  // same file: POSIX says do nothing
  if (new_inode != nullptr && !exchange) {
    if (old_dir && !new_inode->is_dir()) return Errno::kENOTDIR;
    if (!old_dir && new_inode->is_dir()) return Errno::kEISDIR;
  }
  // No directory may move below itself.
  if (old_dir && to.parent.dentry->IsDescendantOf(old_d)) return Errno::kEINVAL;
  if (new_inode != nullptr && new_inode->is_dir() && from.parent.dentry->IsDescendantOf(new_d)) {
    return exchange ? Errno::kEINVAL : Errno::kENOTEMPTY;
  }
  TRY(MayDelete(actor.cred, from.parent, old_inode));
  if (new_inode != nullptr) {
    TRY(MayDelete(actor.cred, to.parent, *new_inode));
  } else {
    TRY(MayCreate(actor.cred, to.parent));
  }
  // A directory that changes parents rewrites its "..": that needs write permission on it.
  if (from.parent.dentry != to.parent.dentry) {
    if (old_dir) TRY(CheckPermission(actor.cred, old_inode, kMayWrite));
    if (exchange && new_inode->is_dir()) TRY(CheckPermission(actor.cred, *new_inode, kMayWrite));
  }
  if (IsMountpoint(from.parent, old_d) || IsMountpoint(to.parent, new_d)) return Errno::kEBUSY;

  lib::String old_name_copy = TRY(lib::String::TryFrom(old_d.name()));
  lib::String new_name_copy = TRY(lib::String::TryFrom(new_d.name()));
  TRY(from.parent.inode()->Rename(old_d.name(), *to.parent.inode(), new_d.name(), flags));
  // A directory replaced by rename is as dead as one removed by rmdir [fs/namei.c vfs_rename].
  if (!exchange && new_inode != nullptr && new_inode->is_dir()) new_inode->MarkDeadDir();
  lib::RefPtr<Dentry> keep_old = from.victim;
  lib::RefPtr<Dentry> keep_new = to.victim;
  if (exchange) {
    old_d.MoveTo(*to.parent.dentry, lib::move(new_name_copy));
    new_d.MoveTo(*from.parent.dentry, lib::move(old_name_copy));
  } else {
    new_d.Unhash();
    old_d.MoveTo(*to.parent.dentry, lib::move(new_name_copy));
  }
  return Ok();
}

Result<void> Link(const Actor& actor, int old_dirfd, lib::string_view old_path, int new_dirfd,
                  lib::string_view new_path, u32 at_flags) {
  if (at_flags & ~(at::kSymlinkFollow | at::kEmptyPath)) return Errno::kEINVAL;
  Path old = TRY(ResolvePath(actor, old_dirfd, old_path, WalkFlagsFromAt(at_flags, false)));
  Inode& target = *old.inode();
  if (target.is_dir()) return Errno::kEPERM;
  CreateSite site = TRY(PrepareCreate(actor, new_dirfd, new_path, /*want_dir=*/false));
  if (site.parent.mnt != old.mnt) return Errno::kEXDEV;
  if (target.nlink() == 0 && !target.tmpfile_linkable()) return Errno::kENOENT;
  TRY(site.parent.inode()->Link(site.child->name(), target));
  target.set_tmpfile_linkable(false);
  site.child->Instantiate(old.dentry->inode_ref());
  return Ok();
}

Result<void> Symlink(const Actor& actor, lib::string_view target, int new_dirfd,
                     lib::string_view link_path) {
  if (target.empty()) return Errno::kENOENT;
  if (target.size() >= kPathMax) return Errno::kENAMETOOLONG;
  CreateSite site = TRY(PrepareCreate(actor, new_dirfd, link_path, /*want_dir=*/false));
  Inode& dir = *site.parent.inode();
  u32 uid, gid;
  NewOwner(actor, dir, uid, gid);
  lib::RefPtr<Inode> inode = TRY(dir.Symlink(site.child->name(), target, uid, gid));
  site.child->Instantiate(lib::move(inode));
  return Ok();
}

Result<usize> ReadLink(const Actor& actor, int dirfd, lib::string_view path, char* buf,
                       usize size) {
  if (size == 0) return Errno::kEINVAL;
  if (path.empty() && dirfd == kAtFdCwd) return Errno::kENOENT;
  Path p = TRY(ResolvePath(actor, dirfd, path, path.empty() ? walk::kEmptyPath : 0));
  Inode& inode = *p.inode();
  if (!inode.is_symlink()) return Errno::kEINVAL;
  LinkTarget t = TRY(inode.GetLink(actor));
  lib::String text;
  if (t.is_jump()) {
    text = TRY(PathToString(t.jump, actor.fs->root()));
  } else {
    text = lib::move(t.text);
  }
  usize n = text.size() < size ? text.size() : size;
  __builtin_memcpy(buf, text.data(), n);
  return n;
}

}  // namespace kernel::fs
