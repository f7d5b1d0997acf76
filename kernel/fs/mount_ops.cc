#include "kernel/fs/mount_ops.h"

#include "kernel/fs/dentry.h"
#include "kernel/fs/path_walk.h"
#include "kernel/fs/permission.h"

namespace kernel::fs {
namespace {

Result<void> RequireAdmin(const Actor& actor) {
  if (!actor.cred.Has(Cap::kSysAdmin)) return Errno::kEPERM;
  return Ok();
}

// Copies the mount tree below `src` (for MS_BIND|MS_REC), attaching each copy under `dst`.
Result<void> CopySubmounts(MountNamespace& ns, const Mount& src, Mount& dst) {
  Result<void> result = Ok();
  src.ForEachChild([&](Mount& child) {
    if (result.is_error()) return;
    // Only submounts visible below the bind's root are copied.
    if (!child.mountpoint()->IsDescendantOf(*dst.root())) return;
    Result<lib::RefPtr<Mount>> copy = Mount::Create(child.root(), child.flags(), child.source());
    if (copy.is_error()) {
      result = copy.error();
      return;
    }
    result = ns.Attach(copy.value(), dst, child.mountpoint());
    if (result.ok()) result = CopySubmounts(ns, child, *copy.value());
  });
  return result;
}

bool IsMountRoot(const Path& p) { return p.dentry == p.mnt->root(); }

// A new mount of `type` on `at`. Linux refuses the same superblock on the same mount point
// [do_add_mount]: mounting proc, sysfs or devtmpfs again where it already is gives EBUSY,
// not a second layer; a new tmpfs (a new superblock) may stack.
Result<void> AttachNew(MountNamespace& ns, const Path& at, const FileSystemType& type,
                       const MountArgs& args, lib::string_view source) {
  if (!at.inode()->is_dir()) return Errno::kENOTDIR;
  lib::RefPtr<Dentry> root = TRY(type.mount(type, args));
  if (IsMountRoot(at) && &at.mnt->sb() == &root->inode()->sb()) return Errno::kEBUSY;
  lib::RefPtr<Mount> mnt = TRY(Mount::Create(root, args.flags, source));
  return ns.Attach(mnt, *at.mnt, at.dentry);
}

}  // namespace

Result<lib::RefPtr<FsContext>> CreateRootContext(const FileSystemType& type, lib::string_view data,
                                                 lib::string_view source) {
  MountArgs args{source.empty() ? lib::string_view(type.name) : source, 0, data};
  lib::RefPtr<Dentry> root = TRY(type.mount(type, args));
  // The kernel's own mount, made without mount(2)'s default of relatime, as init_mount_tree's
  // is: /proc/mounts shows neither relatime nor noatime for it.
  lib::RefPtr<Mount> mnt = TRY(Mount::Create(root, ms::kStrictAtime, args.source));
  lib::RefPtr<MountNamespace> ns = TRY(MountNamespace::Create(mnt));
  return FsContext::Create(lib::move(ns), Path{mnt, root});
}

Result<void> MountFileSystem(const Actor& actor, const FileSystemType& type,
                             lib::string_view source, lib::string_view target, u64 flags,
                             lib::string_view data) {
  Path at = TRY(ResolvePath(actor, kAtFdCwd, target, walk::kFollow));
  return AttachNew(actor.fs->ns(), at, type, MountArgs{source, flags, data}, source);
}

Result<void> MountByPath(const Actor& actor, lib::string_view source, lib::string_view target,
                         lib::string_view fstype, u64 flags, lib::string_view data) {
  TRY(RequireAdmin(actor));
  if ((flags & ms::kMgcMask) == ms::kMgcVal) flags &= ~ms::kMgcMask;
  MountNamespace& ns = actor.fs->ns();
  Path at = TRY(ResolvePath(actor, kAtFdCwd, target, walk::kFollow));

  if (flags & ms::kRemount) {
    if (!IsMountRoot(at)) return Errno::kEINVAL;
    if (!(flags & ms::kBind)) TRY(at.mnt->sb().Remount(flags, data));
    at.mnt->set_flags(flags);
    return Ok();
  }
  if (flags & ms::kBind) {
    Path src = TRY(ResolvePath(actor, kAtFdCwd, source, walk::kFollow));
    if (at.inode()->is_dir() != src.inode()->is_dir()) return Errno::kENOTDIR;
    lib::RefPtr<Mount> mnt = TRY(Mount::Create(src.dentry, src.mnt->flags(), src.mnt->source()));
    TRY(ns.Attach(mnt, *at.mnt, at.dentry));
    if (flags & ms::kRec) TRY(CopySubmounts(ns, *src.mnt, *mnt));
    return Ok();
  }
  if (flags & ms::kMove) {
    Path src = TRY(ResolvePath(actor, kAtFdCwd, source, walk::kFollow));
    if (!IsMountRoot(src) || src.mnt->parent() == nullptr) return Errno::kEINVAL;
    // Moving a mount below itself would make a loop.
    for (Mount* m = at.mnt.get(); m != nullptr; m = m->parent()) {
      if (m == src.mnt.get()) return Errno::kELOOP;
    }
    ns.Move(*src.mnt, *at.mnt, at.dentry);
    return Ok();
  }
  if (flags & (ms::kShared | ms::kPrivate | ms::kSlave | ms::kUnbindable)) {
    // Propagation types: every mount here is private, which is what these ask or tolerate.
    return Ok();
  }
  const FileSystemType* type = FindFileSystem(fstype);
  if (type == nullptr) return Errno::kENODEV;
  return AttachNew(ns, at, *type, MountArgs{source, flags, data},
                   source.empty() ? lib::string_view("none") : source);
}

Result<void> UnmountByPath(const Actor& actor, lib::string_view target, int flags) {
  TRY(RequireAdmin(actor));
  if (flags & ~(kMntForce | kMntDetach | kMntExpire | kUmountNoFollow)) return Errno::kEINVAL;
  if ((flags & kMntExpire) && (flags & (kMntForce | kMntDetach))) return Errno::kEINVAL;
  Path at =
      TRY(ResolvePath(actor, kAtFdCwd, target, (flags & kUmountNoFollow) ? 0 : walk::kFollow));
  if (!IsMountRoot(at)) return Errno::kEINVAL;
  if (!at.mnt->attached() || at.mnt->ns() != &actor.fs->ns()) return Errno::kEINVAL;
  if (at.mnt->parent() == nullptr) return Errno::kEBUSY;  // the namespace's root
  // Busy when anything but the namespace (one reference) and this walk (one) holds it: an
  // open file, a cwd or root, or a mount on top.
  bool busy = at.mnt->has_children() || at.mnt->ref_count_for_debug() > 2;
  if (flags & kMntExpire) {
    // The first call on an unused mount marks it, the second unmounts [linux do_umount].
    if (at.mnt == actor.fs->root().mnt) return Errno::kEINVAL;
    if (busy) return Errno::kEBUSY;
    if (!at.mnt->TestAndSetExpiryMark()) return Errno::kEAGAIN;
  }
  if (!(flags & kMntDetach) && busy) return Errno::kEBUSY;
  lib::RefPtr<Mount> m = at.mnt;
  at = Path{};
  actor.fs->ns().Detach(*m);
  return Ok();
}

Result<void> PivotRoot(const Actor& actor, lib::string_view new_root_path,
                       lib::string_view put_old_path) {
  TRY(RequireAdmin(actor));
  Path new_root =
      TRY(ResolvePath(actor, kAtFdCwd, new_root_path, walk::kFollow | walk::kDirectory));
  Path put_old = TRY(ResolvePath(actor, kAtFdCwd, put_old_path, walk::kFollow | walk::kDirectory));
  Path root = actor.fs->root();
  MountNamespace& ns = actor.fs->ns();
  // The rules of pivot_root(2), checked in Linux's order [linux fs/namespace.c pivot_root].
  if (!root.mnt->attached() || root.mnt->ns() != &ns || !new_root.mnt->attached() ||
      new_root.mnt->ns() != &ns) {
    return Errno::kEINVAL;
  }
  if (new_root.dentry->deleted()) return Errno::kENOENT;
  if (new_root.mnt == root.mnt || put_old.mnt == root.mnt) return Errno::kEBUSY;
  if (!IsMountRoot(root)) return Errno::kEINVAL;
  // Linux also refuses a root mount without a parent (its rootfs); here the namespace's root
  // may be pivoted, since Aramid's root file system is mounted directly as that root.
  if (root.mnt->parent() == nullptr && root.mnt.get() != &ns.root()) return Errno::kEINVAL;
  if (!IsMountRoot(new_root) || new_root.mnt->parent() == nullptr) return Errno::kEINVAL;
  bool under = false;
  for (Mount* m = put_old.mnt.get(); m != nullptr; m = m->parent()) {
    if (m == new_root.mnt.get()) {
      under = true;
      break;
    }
  }
  if (!under) return Errno::kEINVAL;
  if (put_old.mnt == new_root.mnt && !put_old.dentry->IsDescendantOf(*new_root.dentry)) {
    return Errno::kEINVAL;
  }
  if (!IsReachableFrom(new_root, root)) return Errno::kEINVAL;
  ns.Pivot(*root.mnt, *new_root.mnt, *put_old.mnt, put_old.dentry);
  // Those whose root or cwd was the old root move to the new one, as chroot_fs_refs does.
  // TODO(#5): every process's FsContext, once there is a process list to walk.
  Path fresh{new_root.mnt, new_root.mnt->root()};
  if (actor.fs->root() == root) actor.fs->set_root(fresh);
  if (actor.fs->cwd() == root) actor.fs->set_cwd(fresh);
  return Ok();
}

Result<void> ChangeDirectory(const Actor& actor, lib::string_view path) {
  Path p = TRY(ResolvePath(actor, kAtFdCwd, path, walk::kFollow | walk::kDirectory));
  TRY(CheckPermission(actor.cred, *p.inode(), kMayExec));
  actor.fs->set_cwd(lib::move(p));
  return Ok();
}

Result<void> ChangeDirectoryTo(const Actor& actor, const File& dir) {
  const Path& p = dir.path();
  if (!p.valid() || !p.inode()->is_dir()) return Errno::kENOTDIR;
  TRY(CheckPermission(actor.cred, *p.inode(), kMayExec));
  actor.fs->set_cwd(p);
  return Ok();
}

Result<void> ChangeRoot(const Actor& actor, lib::string_view path) {
  Path p = TRY(ResolvePath(actor, kAtFdCwd, path, walk::kFollow | walk::kDirectory));
  TRY(CheckPermission(actor.cred, *p.inode(), kMayExec));
  if (!actor.cred.Has(Cap::kSysChroot)) return Errno::kEPERM;
  actor.fs->set_root(lib::move(p));
  return Ok();
}

Result<usize> GetCwd(const Actor& actor, char* buf, usize size) {
  const Path& cwd = actor.fs->cwd();
  if (cwd.dentry->deleted()) return Errno::kENOENT;
  lib::String path = TRY(PathToString(cwd, actor.fs->root()));
  lib::string_view prefix = IsReachableFrom(cwd, actor.fs->root()) ? "" : "(unreachable)";
  usize len = prefix.size() + path.size() + 1;
  if (len > size) return Errno::kERANGE;
  __builtin_memcpy(buf, prefix.data(), prefix.size());
  __builtin_memcpy(buf + prefix.size(), path.data(), path.size());
  buf[len - 1] = '\0';
  return len;
}

}  // namespace kernel::fs
