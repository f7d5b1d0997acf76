#include "kernel/syscalls/fs_namei.h"

#include "kernel/fs/namei.h"

namespace kernel::syscalls {

// int mkdir(const char *pathname, mode_t mode);  [man 2 mkdir]
Result<void> sys_mkdir(Task& task, UserCString path, Mode mode) {
  return sys_mkdirat(task, DirFd{fs::kAtFdCwd}, path, mode);
}

// int mkdirat(int dirfd, const char *pathname, mode_t mode);  [man 2 mkdirat]
Result<void> sys_mkdirat(Task& task, DirFd dirfd, UserCString path, Mode mode) {
  fs::Actor actor = TRY(ActorOf(task));
  UserPath p;
  TRY(p.Copy(path));
  return fs::MakeDirectory(actor, dirfd.value, p.view(), mode.value);
}

// int mknod(const char *pathname, mode_t mode, dev_t dev);  [man 2 mknod]
Result<void> sys_mknod(Task& task, UserCString path, Mode mode, unsigned dev) {
  return sys_mknodat(task, DirFd{fs::kAtFdCwd}, path, mode, dev);
}

// int mknodat(int dirfd, const char *pathname, mode_t mode, dev_t dev);  [man 2 mknodat]
// The raw call takes the 32-bit encoding (new_decode_dev).
Result<void> sys_mknodat(Task& task, DirFd dirfd, UserCString path, Mode mode, unsigned dev) {
  fs::Actor actor = TRY(ActorOf(task));
  UserPath p;
  TRY(p.Copy(path));
  u32 major = (dev & 0xfff00) >> 8;
  u32 minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
  return fs::MakeNode(actor, dirfd.value, p.view(), mode.value, fs::MakeDev(major, minor));
}

// int unlink(const char *pathname);  [man 2 unlink]
Result<void> sys_unlink(Task& task, UserCString path) {
  return sys_unlinkat(task, DirFd{fs::kAtFdCwd}, path, Hex{0});
}

// int rmdir(const char *pathname);  [man 2 rmdir]
Result<void> sys_rmdir(Task& task, UserCString path) {
  return sys_unlinkat(task, DirFd{fs::kAtFdCwd}, path, Hex{fs::at::kRemoveDir});
}

// int unlinkat(int dirfd, const char *pathname, int flags);  [man 2 unlinkat]
Result<void> sys_unlinkat(Task& task, DirFd dirfd, UserCString path, Hex flags) {
  if (flags.value & ~u64{fs::at::kRemoveDir}) return Errno::kEINVAL;
  fs::Actor actor = TRY(ActorOf(task));
  UserPath p;
  TRY(p.Copy(path));
  return fs::Unlink(actor, dirfd.value, p.view(), static_cast<u32>(flags.value));
}

// int rename(const char *oldpath, const char *newpath);  [man 2 rename]
Result<void> sys_rename(Task& task, UserCString oldpath, UserCString newpath) {
  return sys_renameat2(task, DirFd{fs::kAtFdCwd}, oldpath, DirFd{fs::kAtFdCwd}, newpath, Hex{0});
}

// int renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);
Result<void> sys_renameat(Task& task, DirFd olddirfd, UserCString oldpath, DirFd newdirfd,
                          UserCString newpath) {
  return sys_renameat2(task, olddirfd, oldpath, newdirfd, newpath, Hex{0});
}

// int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
//               unsigned int flags);  [man 2 renameat2]
Result<void> sys_renameat2(Task& task, DirFd olddirfd, UserCString oldpath, DirFd newdirfd,
                           UserCString newpath, Hex flags) {
  if (flags.value > 0xffffffffu) return Errno::kEINVAL;
  fs::Actor actor = TRY(ActorOf(task));
  UserPath a, b;
  TRY(a.Copy(oldpath));
  TRY(b.Copy(newpath));
  return fs::Rename(actor, olddirfd.value, a.view(), newdirfd.value, b.view(),
                    static_cast<u32>(flags.value));
}

// int link(const char *oldpath, const char *newpath);  [man 2 link]
Result<void> sys_link(Task& task, UserCString oldpath, UserCString newpath) {
  return sys_linkat(task, DirFd{fs::kAtFdCwd}, oldpath, DirFd{fs::kAtFdCwd}, newpath, Hex{0});
}

// int linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags);
Result<void> sys_linkat(Task& task, DirFd olddirfd, UserCString oldpath, DirFd newdirfd,
                        UserCString newpath, Hex flags) {
  if (flags.value & ~u64{fs::at::kSymlinkFollow | fs::at::kEmptyPath}) return Errno::kEINVAL;
  fs::Actor actor = TRY(ActorOf(task));
  UserPath a, b;
  TRY(a.Copy(oldpath));
  TRY(b.Copy(newpath));
  return fs::Link(actor, olddirfd.value, a.view(), newdirfd.value, b.view(),
                  static_cast<u32>(flags.value));
}

// int symlink(const char *target, const char *linkpath);  [man 2 symlink]
Result<void> sys_symlink(Task& task, UserCString target, UserCString linkpath) {
  return sys_symlinkat(task, target, DirFd{fs::kAtFdCwd}, linkpath);
}

// int symlinkat(const char *target, int newdirfd, const char *linkpath);  [man 2 symlinkat]
Result<void> sys_symlinkat(Task& task, UserCString target, DirFd newdirfd, UserCString linkpath) {
  fs::Actor actor = TRY(ActorOf(task));
  UserPath t, l;
  TRY(t.Copy(target));
  TRY(l.Copy(linkpath));
  return fs::Symlink(actor, t.view(), newdirfd.value, l.view());
}

// ssize_t readlink(const char *pathname, char *buf, size_t bufsiz);  [man 2 readlink]
Result<isize> sys_readlink(Task& task, UserCString path, UserOut<char> buf, int bufsiz) {
  return sys_readlinkat(task, DirFd{fs::kAtFdCwd}, path, buf, bufsiz);
}

// ssize_t readlinkat(int dirfd, const char *pathname, char *buf, size_t bufsiz);
Result<isize> sys_readlinkat(Task& task, DirFd dirfd, UserCString path, UserOut<char> buf,
                             int bufsiz) {
  if (bufsiz <= 0) return Errno::kEINVAL;
  fs::Actor actor = TRY(ActorOf(task));
  UserPath p;
  TRY(p.Copy(path));
  usize size =
      static_cast<usize>(bufsiz) < fs::kPathMax ? static_cast<usize>(bufsiz) : fs::kPathMax;
  char* kbuf = static_cast<char*>(lib::Allocate(size));
  if (kbuf == nullptr) return Errno::kENOMEM;
  Result<usize> n = fs::ReadLink(actor, dirfd.value, p.view(), kbuf, size);
  Result<void> copied = n.ok() ? buf.WriteBytes(kbuf, n.value()) : Ok();
  lib::Free(kbuf);
  usize len = TRY(n);
  TRY(copied);
  return static_cast<isize>(len);
}

}  // namespace kernel::syscalls
