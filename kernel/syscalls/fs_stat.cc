#include "kernel/syscalls/fs_stat.h"

#include "kernel/fs/attr.h"
#include "kernel/fs/path_walk.h"
#include "kernel/fs/permission.h"

namespace kernel::syscalls {
namespace {

// Resolves a path argument of an *at call, or with AT_EMPTY_PATH and "" the dirfd's file
// itself (which may be anonymous: a pipe has no path but can be stat'ed).
struct Target {
  fs::Path path;
  lib::RefPtr<fs::File> file;  // set when the target came from a file (AT_EMPTY_PATH)
  fs::Inode* inode() const { return file ? file->inode() : path.inode(); }
};

Result<Target> Resolve(Task& task, int dirfd, UserCString upath, u32 at_flags,
                       bool follow_default) {
  fs::Actor actor = TRY(ActorOf(task));
  UserPath p;
  TRY(p.Copy(upath));
  if (p.view().empty() && (at_flags & fs::at::kEmptyPath) && dirfd != fs::kAtFdCwd) {
    lib::RefPtr<fs::File> f = TRY(GetFileRaw(task, dirfd));
    return Target{f->path(), f};
  }
  fs::Path path =
      TRY(fs::ResolvePath(actor, dirfd, p.view(), fs::WalkFlagsFromAt(at_flags, follow_default)));
  return Target{lib::move(path), nullptr};
}

Result<void> StatTarget(const Target& t, UserOut<fs::Stat> buf) {
  fs::Stat st;
  fs::FillStatInode(*t.inode(), st);
  return buf.Write(st);
}

Result<void> AccessCommon(Task& task, int dirfd, UserCString path, int mode, u64 flags) {
  if (flags & ~u64{fs::at::kEaccess | fs::at::kSymlinkNoFollow | fs::at::kEmptyPath}) {
    return Errno::kEINVAL;
  }
  if (static_cast<u32>(mode) & ~7u) return Errno::kEINVAL;
  Target t = TRY(Resolve(task, dirfd, path, static_cast<u32>(flags), true));
  fs::Actor actor = TRY(ActorOf(task));
  if (!(flags & fs::at::kEaccess)) actor.cred = fs::RealCredentialsOf(task);
  if (mode == 0) return Ok();
  if (t.path.valid()) return fs::CheckPathPermission(actor.cred, t.path, static_cast<u32>(mode));
  return fs::CheckPermission(actor.cred, *t.inode(), static_cast<u32>(mode));
}

Result<fs::Path> PathOfFile(const fs::File& f) {
  if (!f.path().valid()) return Errno::kEINVAL;
  return f.path();
}

Result<void> ChownCommon(Task& task, int dirfd, UserCString path, u32 uid, u32 gid, u64 flags,
                         bool follow_default) {
  if (flags & ~u64{fs::at::kSymlinkNoFollow | fs::at::kEmptyPath}) return Errno::kEINVAL;
  Target t = TRY(Resolve(task, dirfd, path, static_cast<u32>(flags), follow_default));
  fs::Actor actor = TRY(ActorOf(task));
  fs::Path p = t.path.valid() ? t.path : fs::Path{};
  if (!p.valid()) return Errno::kEINVAL;
  return fs::ChangeOwner(actor, p, uid, gid);
}

Result<void> TimesCommon(Task& task, int dirfd, UserCString path, const fs::Timespec* times,
                         u32 flags) {
  fs::Actor actor = TRY(ActorOf(task));
  if (path.is_null()) {
    // utimensat(fd, NULL, ...) is futimens(fd).
    if (flags & fs::at::kSymlinkNoFollow) return Errno::kEINVAL;
    if (dirfd == fs::kAtFdCwd) return Errno::kEFAULT;
    lib::RefPtr<fs::File> f = TRY(GetFileRaw(task, dirfd));
    fs::Path p = TRY(PathOfFile(*f));
    return fs::SetTimes(actor, p, times);
  }
  Target t = TRY(Resolve(task, dirfd, path, flags, true));
  if (!t.path.valid()) return Errno::kEINVAL;
  return fs::SetTimes(actor, t.path, times);
}

Result<void> TimevalsToTimespecs(UserIn<Timeval> in, fs::Timespec out[2]) {
  Timeval tv[2];
  TRY(in.ReadArray(tv, 2));
  for (int i = 0; i < 2; ++i) {
    if (tv[i].usec < 0 || tv[i].usec >= 1'000'000) return Errno::kEINVAL;
    out[i] = fs::Timespec{tv[i].sec, tv[i].usec * 1000};
  }
  return Ok();
}

}  // namespace

// int stat(const char *pathname, struct stat *statbuf);  [man 2 stat]
Result<void> sys_stat(Task& task, UserCString path, UserOut<fs::Stat> buf) {
  return StatTarget(TRY(Resolve(task, fs::kAtFdCwd, path, 0, true)), buf);
}

// int lstat(const char *pathname, struct stat *statbuf);  [man 2 lstat]
Result<void> sys_lstat(Task& task, UserCString path, UserOut<fs::Stat> buf) {
  return StatTarget(TRY(Resolve(task, fs::kAtFdCwd, path, 0, false)), buf);
}

// int fstat(int fd, struct stat *statbuf);  [man 2 fstat]
Result<void> sys_fstat(Task& task, Fd fd, UserOut<fs::Stat> buf) {
  lib::RefPtr<fs::File> f = TRY(GetFileRaw(task, fd.value));
  return StatTarget(Target{f->path(), f}, buf);
}

// int fstatat(int dirfd, const char *pathname, struct stat *statbuf, int flags);
Result<void> sys_newfstatat(Task& task, DirFd dirfd, UserCString path, UserOut<fs::Stat> buf,
                            Hex flags) {
  if (flags.value & ~u64{fs::at::kSymlinkNoFollow | fs::at::kNoAutomount | fs::at::kEmptyPath}) {
    return Errno::kEINVAL;
  }
  return StatTarget(TRY(Resolve(task, dirfd.value, path, static_cast<u32>(flags.value), true)),
                    buf);
}

// int statx(int dirfd, const char *pathname, int flags, unsigned int mask,
//           struct statx *statxbuf);  [man 2 statx]
Result<void> sys_statx(Task& task, DirFd dirfd, UserCString path, Hex flags, Hex mask,
                       UserOut<fs::Statx> buf) {
  u64 f = flags.value;
  if (f & ~u64{fs::at::kSymlinkNoFollow | fs::at::kNoAutomount | fs::at::kEmptyPath |
               fs::at::kStatxSyncType}) {
    return Errno::kEINVAL;
  }
  if ((f & fs::at::kStatxSyncType) == fs::at::kStatxSyncType) return Errno::kEINVAL;
  if (mask.value & fs::statx::kReserved) return Errno::kEINVAL;
  Target t = TRY(Resolve(task, dirfd.value, path, static_cast<u32>(f), true));
  fs::Statx sx;
  fs::FillStatx(t.path, *t.inode(), sx);
  return buf.Write(sx);
}

// int statfs(const char *path, struct statfs *buf);  [man 2 statfs]
Result<void> sys_statfs(Task& task, UserCString path, UserOut<fs::StatFs> buf) {
  Target t = TRY(Resolve(task, fs::kAtFdCwd, path, 0, true));
  fs::StatFs sf;
  fs::FillStatFs(t.path, sf);
  return buf.Write(sf);
}

// int fstatfs(int fd, struct statfs *buf);  [man 2 fstatfs]
Result<void> sys_fstatfs(Task& task, Fd fd, UserOut<fs::StatFs> buf) {
  lib::RefPtr<fs::File> f = TRY(GetFileRaw(task, fd.value));
  fs::StatFs sf;
  if (f->path().valid()) {
    fs::FillStatFs(f->path(), sf);
  } else {
    sf = fs::StatFs{};
    f->inode()->sb().StatFs(sf);
  }
  return buf.Write(sf);
}

// int access(const char *pathname, int mode);  [man 2 access]
Result<void> sys_access(Task& task, UserCString path, int mode) {
  return AccessCommon(task, fs::kAtFdCwd, path, mode, 0);
}

// int faccessat(int dirfd, const char *pathname, int mode);  (the raw syscall has no flags)
Result<void> sys_faccessat(Task& task, DirFd dirfd, UserCString path, int mode) {
  return AccessCommon(task, dirfd.value, path, mode, 0);
}

// int faccessat2(int dirfd, const char *pathname, int mode, int flags);  [man 2 faccessat2]
Result<void> sys_faccessat2(Task& task, DirFd dirfd, UserCString path, int mode, Hex flags) {
  return AccessCommon(task, dirfd.value, path, mode, flags.value);
}

// int chmod(const char *pathname, mode_t mode);  [man 2 chmod]
Result<void> sys_chmod(Task& task, UserCString path, Mode mode) {
  return sys_fchmodat(task, DirFd{fs::kAtFdCwd}, path, mode);
}

// int fchmod(int fd, mode_t mode);  [man 2 fchmod]
Result<void> sys_fchmod(Task& task, Fd fd, Mode mode) {
  lib::RefPtr<fs::File> f = TRY(GetFile(task, fd.value));
  fs::Actor actor = TRY(ActorOf(task));
  if (!f->path().valid()) {
    // An anonymous file (a pipe): its inode, with the same rules.
    if (!fs::IsOwnerOrCapable(actor.cred, *f->inode())) return Errno::kEPERM;
    fs::AttrChange c;
    c.valid = fs::AttrChange::kMode;
    c.mode = mode.value & fs::mode::kPermMask;
    return f->inode()->SetAttr(c);
  }
  return fs::ChangeMode(actor, f->path(), mode.value);
}

// int fchmodat(int dirfd, const char *pathname, mode_t mode);  (the raw syscall has no flags)
Result<void> sys_fchmodat(Task& task, DirFd dirfd, UserCString path, Mode mode) {
  Target t = TRY(Resolve(task, dirfd.value, path, 0, true));
  fs::Actor actor = TRY(ActorOf(task));
  return fs::ChangeMode(actor, t.path, mode.value);
}

// int chown(const char *pathname, uid_t owner, gid_t group);  [man 2 chown]
Result<void> sys_chown(Task& task, UserCString path, u32 uid, u32 gid) {
  return ChownCommon(task, fs::kAtFdCwd, path, uid, gid, 0, true);
}

// int lchown(const char *pathname, uid_t owner, gid_t group);  [man 2 lchown]
Result<void> sys_lchown(Task& task, UserCString path, u32 uid, u32 gid) {
  return ChownCommon(task, fs::kAtFdCwd, path, uid, gid, 0, false);
}

// int fchown(int fd, uid_t owner, gid_t group);  [man 2 fchown]
Result<void> sys_fchown(Task& task, Fd fd, u32 uid, u32 gid) {
  lib::RefPtr<fs::File> f = TRY(GetFile(task, fd.value));
  fs::Actor actor = TRY(ActorOf(task));
  fs::Path p = TRY(PathOfFile(*f));
  return fs::ChangeOwner(actor, p, uid, gid);
}

// int fchownat(int dirfd, const char *pathname, uid_t owner, gid_t group, int flags);
Result<void> sys_fchownat(Task& task, DirFd dirfd, UserCString path, u32 uid, u32 gid, Hex flags) {
  return ChownCommon(task, dirfd.value, path, uid, gid, flags.value, true);
}

// int truncate(const char *path, off_t length);  [man 2 truncate]
Result<void> sys_truncate(Task& task, UserCString path, i64 length) {
  if (length < 0) return Errno::kEINVAL;
  Target t = TRY(Resolve(task, fs::kAtFdCwd, path, 0, true));
  fs::Actor actor = TRY(ActorOf(task));
  return fs::TruncatePath(actor, t.path, length);
}

// int ftruncate(int fd, off_t length);  [man 2 ftruncate]
Result<void> sys_ftruncate(Task& task, Fd fd, i64 length) {
  if (length < 0) return Errno::kEINVAL;
  lib::RefPtr<fs::File> f = TRY(GetFile(task, fd.value));
  return fs::TruncateFile(*f, length);
}

// int utimensat(int dirfd, const char *pathname, const struct timespec times[2], int flags);
Result<void> sys_utimensat(Task& task, DirFd dirfd, UserCString path, UserIn<fs::Timespec> times,
                           Hex flags) {
  if (flags.value & ~u64{fs::at::kSymlinkNoFollow | fs::at::kEmptyPath}) return Errno::kEINVAL;
  fs::Timespec ts[2];
  if (!times.is_null()) TRY(times.ReadArray(ts, 2));
  return TimesCommon(task, dirfd.value, path, times.is_null() ? nullptr : ts,
                     static_cast<u32>(flags.value));
}

// int utimes(const char *filename, const struct timeval times[2]);  [man 2 utimes]
Result<void> sys_utimes(Task& task, UserCString path, UserIn<Timeval> times) {
  return sys_futimesat(task, DirFd{fs::kAtFdCwd}, path, times);
}

// int futimesat(int dirfd, const char *pathname, const struct timeval times[2]);
Result<void> sys_futimesat(Task& task, DirFd dirfd, UserCString path, UserIn<Timeval> times) {
  fs::Timespec ts[2];
  if (!times.is_null()) TRY(TimevalsToTimespecs(times, ts));
  return TimesCommon(task, dirfd.value, path, times.is_null() ? nullptr : ts, 0);
}

// int utime(const char *filename, const struct utimbuf *times);  [man 2 utime]
Result<void> sys_utime(Task& task, UserCString path, UserIn<Utimbuf> times) {
  fs::Timespec ts[2];
  if (!times.is_null()) {
    Utimbuf u = TRY(times.Read());
    ts[0] = fs::Timespec{u.actime, 0};
    ts[1] = fs::Timespec{u.modtime, 0};
  }
  return TimesCommon(task, fs::kAtFdCwd, path, times.is_null() ? nullptr : ts, 0);
}

// int fsync(int fd);  [man 2 fsync]: everything is in memory, so there is nothing to flush;
// files without fsync (pipes, character devices) say EINVAL as on Linux.
Result<void> sys_fsync(Task& task, Fd fd) {
  lib::RefPtr<fs::File> f = TRY(GetFile(task, fd.value));
  if (f->kind() != fs::FileKind::kInode && f->kind() != fs::FileKind::kDirectory) {
    return Errno::kEINVAL;
  }
  return Ok();
}

Result<void> sys_fdatasync(Task& task, Fd fd) { return sys_fsync(task, fd); }

// void sync(void);  [man 2 sync]
Result<void> sys_sync(Task&) { return Ok(); }

// int syncfs(int fd);  [man 2 syncfs]
Result<void> sys_syncfs(Task& task, Fd fd) {
  TRY(GetFile(task, fd.value));
  return Ok();
}

}  // namespace kernel::syscalls
