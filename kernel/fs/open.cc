#include "kernel/fs/open.h"

#include "kernel/fs/path_walk.h"
#include "kernel/fs/permission.h"
#include "kernel/lib/format.h"

namespace kernel::fs {
namespace {

lib::string_view CStringView(const char* s) {
  usize n = 0;
  while (n < kPathMax && s[n] != '\0') ++n;
  return lib::string_view(s, n);
}

u32 WalkFlagsFromResolve(u64 resolve) {
  u32 f = 0;
  if (resolve & resolve::kNoXdev) f |= walk::kNoXdev;
  if (resolve & resolve::kNoMagicLinks) f |= walk::kNoMagicLinks;
  if (resolve & resolve::kNoSymlinks) f |= walk::kNoSymlinks;
  if (resolve & resolve::kBeneath) f |= walk::kBeneath;
  if (resolve & resolve::kInRoot) f |= walk::kInRoot;
  return f;
}

// The owner and group a new inode in `dir` gets: the caller's fsuid, and the directory's
// group when it is set-group-ID (BSD semantics), else the caller's fsgid.
void NewOwner(const Actor& actor, const Inode& dir, u32& uid, u32& gid) {
  uid = actor.cred.uid;
  gid = (dir.mode() & mode::kSetGid) ? dir.gid() : actor.cred.gid;
}

Result<lib::RefPtr<File>> OpenTmpFile(const Actor& actor, Walker& w, u32 flags, u32 mode) {
  Path dir = TRY(w.Resolve());
  if (!dir.inode()->is_dir()) return Errno::kENOTDIR;
  TRY(CheckPathPermission(actor.cred, dir, kMayWrite | kMayExec));
  u32 uid, gid;
  NewOwner(actor, *dir.inode(), uid, gid);
  u32 m = mode::kRegular | (mode & 07777 & ~actor.fs->umask());
  lib::RefPtr<Inode> inode = TRY(dir.inode()->CreateTmpFile(m, uid, gid));
  inode->set_tmpfile_linkable((flags & o::kExcl) == 0);
  char name[32];
  lib::Snprintf(name, sizeof(name), "#%llu", static_cast<unsigned long long>(inode->ino()));
  lib::RefPtr<Dentry> d = TRY(Dentry::CreateDetached(*dir.dentry, name, inode));
  Path p{dir.mnt, lib::move(d)};
  u32 file_flags = flags & ~(o::kTmpFile | o::kDirectory);
  return inode->Open(p, file_flags, actor);
}

}  // namespace

Result<lib::RefPtr<File>> Open(const Actor& actor, int dirfd, lib::string_view path, u32 flags,
                               u32 mode, u64 resolve) {
  if (flags & o::kPath) {
    // O_PATH ignores everything but these [man 2 open].
    flags &= o::kPath | o::kDirectory | o::kNoFollow | o::kCloexec;
  }
  u32 acc = flags & o::kAccMode;
  if (flags & (o::kTmpFile & ~o::kDirectory)) {
    // __O_TMPFILE comes with O_DIRECTORY and without O_CREAT, or not at all [linux
    // build_open_flags, O_TMPFILE_MASK].
    if ((flags & (o::kTmpFile | o::kCreat)) != o::kTmpFile) return Errno::kEINVAL;
    if (acc != o::kWrOnly && acc != o::kRdWr) return Errno::kEINVAL;
  } else if ((flags & o::kCreat) && (flags & o::kDirectory)) {
    return Errno::kEINVAL;  // as Linux since 6.4
  }

  u32 wflags = WalkFlagsFromResolve(resolve);
  if (!(flags & o::kNoFollow)) wflags |= walk::kFollow;
  if (flags & o::kDirectory) wflags |= walk::kDirectory;
  Walker w(actor, wflags);
  TRY(w.Start(dirfd, path));

  if ((flags & o::kTmpFile) == o::kTmpFile) return OpenTmpFile(actor, w, flags, mode);

  Path target;
  bool created = false;
  for (;;) {
    TRY(w.WalkToParent());
    LastKind kind = w.last_kind();
    if (kind != LastKind::kNormal) {
      target = TRY(w.ResolveSpecialLast());
      // ".", ".." or "/" always exists: O_EXCL makes that EEXIST, otherwise O_CREAT on a
      // directory is EISDIR [fs/namei.c do_open].
      if (flags & o::kCreat) return (flags & o::kExcl) ? Errno::kEEXIST : Errno::kEISDIR;
      break;
    }
    Path child = TRY(w.LookupLast());
    if (flags & o::kCreat) {
      if (!child.dentry->negative()) {
        if (flags & o::kExcl) return Errno::kEEXIST;
        if (child.inode()->is_symlink() && !(flags & o::kNoFollow)) {
          lib::optional<Path> jump = TRY(w.FollowLast(child));
          if (jump) {
            target = lib::move(*jump);
            break;
          }
          continue;  // a dangling symlink with O_CREAT creates its target
        }
        target = lib::move(child);
        break;
      }
      if (w.must_be_dir()) return Errno::kEISDIR;
      TRY(MayCreate(actor.cred, w.parent()));
      u32 uid, gid;
      NewOwner(actor, *w.parent().inode(), uid, gid);
      u32 m = mode::kRegular | (mode & 07777 & ~actor.fs->umask());
      lib::RefPtr<Inode> inode = TRY(w.parent().inode()->Create(w.last(), m, uid, gid, 0));
      child.dentry->Instantiate(lib::move(inode));
      target = lib::move(child);
      created = true;
      break;
    }
    if (child.dentry->negative()) return Errno::kENOENT;
    if (child.inode()->is_symlink()) {
      if (flags & o::kNoFollow) {
        if (!(flags & o::kPath)) return Errno::kELOOP;
        target = lib::move(child);  // O_PATH|O_NOFOLLOW opens the link itself
        break;
      }
      lib::optional<Path> jump = TRY(w.FollowLast(child));
      if (jump) {
        target = lib::move(*jump);
        break;
      }
      continue;
    }
    target = lib::move(child);
    break;
  }

  Inode* inode = target.inode();
  bool dir = inode->is_dir();
  if ((flags & o::kDirectory) || w.must_be_dir()) {
    if (!dir) return Errno::kENOTDIR;
  }
  if (flags & o::kPath) return MakeFile<PathFile>(target, target.dentry->inode_ref(), flags);
  // O_TRUNC asks for MAY_WRITE, and a directory refuses writing with EISDIR [fs/open.c
  // build_open_flags, fs/namei.c may_open].
  if (dir && (acc != o::kRdOnly || (flags & (o::kCreat | o::kTrunc)))) return Errno::kEISDIR;
  if (inode->is_symlink()) return Errno::kELOOP;
  if (!created) {
    u32 may = 0;
    if (acc == o::kRdOnly || acc == o::kRdWr || acc == 3) may |= kMayRead;
    if (acc == o::kWrOnly || acc == o::kRdWr || acc == 3) may |= kMayWrite;
    if (flags & o::kTrunc) may |= kMayWrite;
    TRY(CheckPathPermission(actor.cred, target, may));
    if (inode->is_regular() && (flags & o::kTrunc)) TRY(inode->Truncate(0));
  }
  return inode->Open(target, flags, actor);
}

Result<lib::RefPtr<File>> Open(proc::Task& task, int dirfd, const char* kernel_path, int flags,
                               u32 mode) {
  Actor actor = Actor::Of(task);
  return Open(actor, dirfd, CStringView(kernel_path), static_cast<u32>(flags), mode);
}

Result<lib::RefPtr<File>> OpenExec(const Actor& actor, int dirfd, lib::string_view path,
                                   u32 at_flags) {
  if (at_flags & ~(at::kEmptyPath | at::kSymlinkNoFollow)) return Errno::kEINVAL;
  Path target = TRY(ResolvePath(actor, dirfd, path, WalkFlagsFromAt(at_flags, true)));
  Inode* inode = target.inode();
  if (inode->is_symlink()) return Errno::kELOOP;
  if (!inode->is_regular()) return Errno::kEACCES;
  if (target.mnt && (target.mnt->flags() & ms::kNoExec)) return Errno::kEACCES;
  TRY(CheckPermission(actor.cred, *inode, kMayExec));
  return MakeFile<InodeFile>(target, target.dentry->inode_ref(), o::kRdOnly);
}

Result<lib::RefPtr<File>> OpenExec(proc::Task& task, int dirfd, const char* kernel_path,
                                   u32 at_flags) {
  Actor actor = Actor::Of(task);
  return OpenExec(actor, dirfd, CStringView(kernel_path), at_flags);
}

bool MountIsNoSuid(const File& file) {
  return file.path().mnt && (file.path().mnt->flags() & ms::kNoSuid);
}

}  // namespace kernel::fs
