#include "kernel/fs/permission.h"

namespace kernel::fs {

Result<void> CheckPermission(const Credentials& cred, const Inode& inode, u32 may) {
  u32 m = inode.mode();
  u32 bits;
  if (cred.uid == inode.uid()) {
    bits = (m >> 6) & 7;
  } else if (cred.InGroup(inode.gid())) {
    bits = (m >> 3) & 7;
  } else {
    bits = m & 7;
  }
  if ((bits & may) == may) return Ok();
  bool dir = inode.is_dir();
  if (cred.Has(Cap::kDacOverride)) {
    if (dir || !(may & kMayExec) || (m & 0111) != 0) return Ok();
  }
  if (cred.Has(Cap::kDacReadSearch)) {
    if (dir ? (may & kMayWrite) == 0 : may == kMayRead) return Ok();
  }
  return Errno::kEACCES;
}

Result<void> CheckPathPermission(const Credentials& cred, const Path& path, u32 may) {
  Inode* inode = path.inode();
  if ((may & kMayWrite) && path.mnt && path.mnt->read_only()) {
    u32 t = inode->type();
    if (t == mode::kRegular || t == mode::kDirectory || t == mode::kSymlink) {
      return Errno::kEROFS;
    }
  }
  return CheckPermission(cred, *inode, may);
}

bool IsOwnerOrCapable(const Credentials& cred, const Inode& inode) {
  return cred.uid == inode.uid() || cred.Has(Cap::kFowner);
}

Result<void> MayCreate(const Credentials& cred, const Path& dir) {
  // Creating in a removed directory is ENOENT before any permission check [fs/namei.c
  // may_create, IS_DEADDIR].
  if (dir.inode()->dead_dir()) return Errno::kENOENT;
  return CheckPathPermission(cred, dir, kMayWrite | kMayExec);
}

Result<void> MayDelete(const Credentials& cred, const Path& dir, const Inode& victim) {
  TRY(CheckPathPermission(cred, dir, kMayWrite | kMayExec));
  const Inode& d = *dir.inode();
  if ((d.mode() & mode::kSticky) && cred.uid != victim.uid() && cred.uid != d.uid() &&
      !cred.Has(Cap::kFowner)) {
    return Errno::kEPERM;
  }
  return Ok();
}

}  // namespace kernel::fs
