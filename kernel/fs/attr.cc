#include "kernel/fs/attr.h"

#include "kernel/fs/path_walk.h"
#include "kernel/fs/permission.h"
#include "kernel/fs/time.h"

namespace kernel::fs {
namespace {

// new_encode_dev: the 32-bit dev_t layout struct stat carries.
u64 EncodeDev(u64 dev) {
  u32 major = DevMajor(dev), minor = DevMinor(dev);
  return (minor & 0xff) | (u64{major} << 8) | (u64{minor & ~0xffu} << 12);
}

Result<void> CheckWritableMount(const Path& p) {
  if (p.mnt && p.mnt->read_only()) return Errno::kEROFS;
  return Ok();
}

bool ValidNsec(i64 nsec) {
  return (nsec >= 0 && nsec <= 999'999'999) || nsec == kUtimeNow || nsec == kUtimeOmit;
}

}  // namespace

void FillStatInode(const Inode& inode, Stat& out) {
  out = Stat{};
  out.dev = EncodeDev(inode.sb().dev());
  out.ino = inode.ino();
  out.nlink = inode.nlink();
  out.mode = inode.mode();
  out.uid = inode.uid();
  out.gid = inode.gid();
  out.rdev = EncodeDev(inode.rdev());
  out.size = static_cast<i64>(inode.size());
  out.blksize = inode.block_size();
  out.blocks = static_cast<i64>(inode.blocks());
  out.atime = inode.atime();
  out.mtime = inode.mtime();
  out.ctime = inode.ctime();
}

void FillStat(const Path& p, Stat& out) { FillStatInode(*p.inode(), out); }

void FillStatx(const Path& p, const Inode& inode, Statx& out) {
  out = Statx{};
  out.mask = statx::kBasicStats | statx::kBtime | (p.mnt ? statx::kMntId : 0);
  out.blksize = inode.block_size();
  out.nlink = inode.nlink();
  out.uid = inode.uid();
  out.gid = inode.gid();
  out.mode = static_cast<u16>(inode.mode());
  out.ino = inode.ino();
  out.size = inode.size();
  out.blocks = inode.blocks();
  auto ts = [](const Timespec& t) { return StatxTimestamp{t.sec, static_cast<u32>(t.nsec), 0}; };
  out.atime = ts(inode.atime());
  out.btime = ts(inode.btime());
  out.ctime = ts(inode.ctime());
  out.mtime = ts(inode.mtime());
  out.rdev_major = DevMajor(inode.rdev());
  out.rdev_minor = DevMinor(inode.rdev());
  out.dev_major = DevMajor(inode.sb().dev());
  out.dev_minor = DevMinor(inode.sb().dev());
  out.mnt_id = p.mnt ? static_cast<u64>(p.mnt->id()) : 0;
}

void FillStatFs(const Path& p, StatFs& out) {
  out = StatFs{};
  SuperBlock& sb = p.inode()->sb();
  sb.StatFs(out);
  u64 dev = sb.dev();
  out.fsid[0] = static_cast<i32>(EncodeDev(dev));
  out.fsid[1] = 0;
  i64 flags = st::kValid;
  u64 mf = p.mnt ? p.mnt->flags() : 0;
  if ((p.mnt && p.mnt->read_only()) || sb.read_only()) flags |= st::kRdOnly;
  if (mf & ms::kNoSuid) flags |= st::kNoSuid;
  if (mf & ms::kNoDev) flags |= st::kNoDev;
  if (mf & ms::kNoExec) flags |= st::kNoExec;
  if (mf & ms::kNoAtime) flags |= st::kNoAtime;
  if (mf & ms::kNoDirAtime) flags |= st::kNoDirAtime;
  // relatime is mount(2)'s default unless noatime or strictatime was asked [path_mount].
  if (p.mnt && ((mf & ms::kRelAtime) || !(mf & (ms::kNoAtime | ms::kStrictAtime)))) {
    flags |= st::kRelAtime;
  }
  out.flags = flags;
}

Result<void> ChangeMode(const Actor& actor, const Path& p, u32 mode) {
  Inode& inode = *p.inode();
  TRY(CheckWritableMount(p));
  if (!IsOwnerOrCapable(actor.cred, inode)) return Errno::kEPERM;
  u32 m = mode & mode::kPermMask;
  if ((m & mode::kSetGid) && !actor.cred.InGroup(inode.gid()) && !actor.cred.Has(Cap::kFsetid)) {
    m &= ~mode::kSetGid;
  }
  AttrChange c;
  c.valid = AttrChange::kMode | AttrChange::kCtime;
  c.mode = m;
  c.ctime = CurrentTime();
  return inode.SetAttr(c);
}

Result<void> ChangeOwner(const Actor& actor, const Path& p, u32 uid, u32 gid) {
  Inode& inode = *p.inode();
  TRY(CheckWritableMount(p));
  // chown_ok / chgrp_ok [fs/attr.c].
  const Credentials& cred = actor.cred;
  bool owner = cred.uid == inode.uid();
  if (uid != ~0u && !(owner && uid == inode.uid()) && !cred.Has(Cap::kChown)) {
    return Errno::kEPERM;
  }
  if (gid != ~0u && !(owner && (cred.InGroup(gid) || gid == inode.gid())) &&
      !cred.Has(Cap::kChown)) {
    return Errno::kEPERM;
  }
  AttrChange c;
  c.valid = AttrChange::kCtime;
  c.ctime = CurrentTime();
  if (uid != ~0u) {
    c.valid |= AttrChange::kUid;
    c.uid = uid;
  }
  if (gid != ~0u) {
    c.valid |= AttrChange::kGid;
    c.gid = gid;
  }
  if (!inode.is_dir()) {
    // chown drops set-user-ID, and set-group-ID when it means something (group exec).
    u32 m = inode.mode() & mode::kPermMask;
    u32 cleared = m & ~mode::kSetUid;
    if ((m & mode::kSetGid) && (m & 0010)) cleared &= ~mode::kSetGid;
    if (cleared != m) {
      c.valid |= AttrChange::kMode;
      c.mode = cleared;
    }
  }
  return inode.SetAttr(c);
}

Result<void> SetTimes(const Actor& actor, const Path& p, const Timespec* times) {
  Inode& inode = *p.inode();
  Timespec now = CurrentTime();
  Timespec at = now, mt = now;
  bool set_at = true, set_mt = true;
  bool explicit_times = false;
  if (times != nullptr) {
    if (!ValidNsec(times[0].nsec) || !ValidNsec(times[1].nsec)) return Errno::kEINVAL;
    if (times[0].nsec == kUtimeOmit && times[1].nsec == kUtimeOmit) return Ok();
    set_at = times[0].nsec != kUtimeOmit;
    set_mt = times[1].nsec != kUtimeOmit;
    if (set_at && times[0].nsec != kUtimeNow) {
      at = times[0];
      explicit_times = true;
    }
    if (set_mt && times[1].nsec != kUtimeNow) {
      mt = times[1];
      explicit_times = true;
    }
  }
  TRY(CheckWritableMount(p));
  if (!IsOwnerOrCapable(actor.cred, inode)) {
    // Setting explicit times is for the owner; "now" is for anyone who may write.
    if (explicit_times) return Errno::kEPERM;
    TRY(CheckPermission(actor.cred, inode, kMayWrite));
  }
  AttrChange c;
  c.valid = AttrChange::kCtime;
  c.ctime = now;
  if (set_at) {
    c.valid |= AttrChange::kAtime;
    c.atime = at;
  }
  if (set_mt) {
    c.valid |= AttrChange::kMtime;
    c.mtime = mt;
  }
  return inode.SetAttr(c);
}

Result<void> TruncatePath(const Actor& actor, const Path& p, i64 length) {
  if (length < 0) return Errno::kEINVAL;
  Inode& inode = *p.inode();
  if (inode.is_dir()) return Errno::kEISDIR;
  if (!inode.is_regular()) return Errno::kEINVAL;
  TRY(CheckPathPermission(actor.cred, p, kMayWrite));
  return inode.Truncate(static_cast<u64>(length));
}

Result<void> TruncateFile(File& file, i64 length) {
  if (length < 0) return Errno::kEINVAL;
  Inode* inode = file.inode();
  if (inode == nullptr || !inode->is_regular() || !file.writable()) return Errno::kEINVAL;
  return inode->Truncate(static_cast<u64>(length));
}

Result<void> Access(const Actor& actor, int dirfd, lib::string_view path, u32 mode, u32 flags) {
  if (mode & ~7u) return Errno::kEINVAL;
  if (flags & ~(at::kEaccess | at::kSymlinkNoFollow | at::kEmptyPath)) return Errno::kEINVAL;
  Path p = TRY(ResolvePath(actor, dirfd, path, WalkFlagsFromAt(flags, true)));
  if (mode == 0) return Ok();
  return CheckPathPermission(actor.cred, p, mode);
}

}  // namespace kernel::fs
