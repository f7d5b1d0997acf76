#include "kernel/syscalls/fs_dir.h"

#include "kernel/fs/mount_ops.h"

namespace kernel::syscalls {
namespace {

// Packs entries into a kernel buffer as linux_dirent64 (or the old linux_dirent), refusing
// an entry that does not fit so that the directory position stays before it.
class DirentPacker final : public fs::DirSink {
 public:
  DirentPacker(u8* buf, usize size, bool old_format) : buf_(buf), size_(size), old_(old_format) {}

  bool Emit(lib::string_view name, u64 ino, u8 type, u64 next_cookie) override {
    usize reclen = old_ ? AlignUp(18 + name.size() + 2, 8)
                        : AlignUp(fs::kDirent64NameOffset + name.size() + 1, 8);
    if (used_ + reclen > size_) {
      too_small_ = used_ == 0;
      return false;
    }
    u8* p = buf_ + used_;
    __builtin_memset(p, 0, reclen);
    u64 off = next_cookie;
    u16 rl = static_cast<u16>(reclen);
    if (old_) {
      // struct linux_dirent { unsigned long d_ino, d_off; unsigned short d_reclen;
      //                       char d_name[]; char pad; char d_type; }
      __builtin_memcpy(p, &ino, 8);
      __builtin_memcpy(p + 8, &off, 8);
      __builtin_memcpy(p + 16, &rl, 2);
      __builtin_memcpy(p + 18, name.data(), name.size());
      p[reclen - 1] = type;
    } else {
      __builtin_memcpy(p, &ino, 8);
      __builtin_memcpy(p + 8, &off, 8);
      __builtin_memcpy(p + 16, &rl, 2);
      p[18] = type;
      __builtin_memcpy(p + fs::kDirent64NameOffset, name.data(), name.size());
    }
    used_ += reclen;
    return true;
  }

  usize used() const { return used_; }
  bool too_small() const { return too_small_; }

 private:
  u8* buf_;
  usize size_;
  bool old_;
  usize used_ = 0;
  bool too_small_ = false;
};

Result<isize> GetDents(Task& task, Fd fd, UserOut<u8> dirp, unsigned count, bool old_format) {
  lib::RefPtr<fs::File> file = TRY(GetFile(task, fd.value));
  if (!mm::IsUserRange(dirp.addr(), count)) return Errno::kEFAULT;
  if (file->inode() == nullptr || !file->inode()->is_dir()) return Errno::kENOTDIR;
  // Gather into kernel memory first: iterating must not fault on user memory.
  usize size = count < 64 * 1024 ? count : 64 * 1024;
  u8* kbuf = static_cast<u8*>(lib::Allocate(size > 0 ? size : 1));
  if (kbuf == nullptr) return Errno::kENOMEM;
  DirentPacker packer(kbuf, size, old_format);
  Result<void> r = file->ReadDir(packer);
  Result<void> copied = Ok();
  if (r.ok() && packer.used() > 0) copied = dirp.WriteBytes(kbuf, packer.used());
  lib::Free(kbuf);
  TRY(r);
  TRY(copied);
  if (packer.too_small()) return Errno::kEINVAL;  // not even one entry fits
  return static_cast<isize>(packer.used());
}

}  // namespace

// ssize_t getdents64(int fd, void *dirp, size_t count);  [man 2 getdents64]
Result<isize> sys_getdents64(Task& task, Fd fd, UserOut<u8> dirp, unsigned count) {
  return GetDents(task, fd, dirp, count, false);
}

// long getdents(unsigned int fd, struct linux_dirent *dirp, unsigned int count);
Result<isize> sys_getdents(Task& task, Fd fd, UserOut<u8> dirp, unsigned count) {
  return GetDents(task, fd, dirp, count, true);
}

// char *getcwd(char *buf, size_t size);  [man 2 getcwd]: the raw call returns the length
// including the NUL.
Result<isize> sys_getcwd(Task& task, UserOut<char> buf, usize size) {
  fs::Actor actor = TRY(ActorOf(task));
  usize cap = size < fs::kPathMax ? size : fs::kPathMax;
  char* kbuf = static_cast<char*>(lib::Allocate(fs::kPathMax));
  if (kbuf == nullptr) return Errno::kENOMEM;
  Result<usize> n = fs::GetCwd(actor, kbuf, cap);
  Result<void> copied = n.ok() ? buf.WriteBytes(kbuf, n.value()) : Ok();
  lib::Free(kbuf);
  usize len = TRY(n);
  TRY(copied);
  return static_cast<isize>(len);
}

// int chdir(const char *path);  [man 2 chdir]
Result<void> sys_chdir(Task& task, UserCString path) {
  fs::Actor actor = TRY(ActorOf(task));
  UserPath p;
  TRY(p.Copy(path));
  return fs::ChangeDirectory(actor, p.view());
}

// int fchdir(int fd);  [man 2 fchdir]
Result<void> sys_fchdir(Task& task, Fd fd) {
  fs::Actor actor = TRY(ActorOf(task));
  lib::RefPtr<fs::File> f = TRY(GetFileRaw(task, fd.value));
  return fs::ChangeDirectoryTo(actor, *f);
}

// int chroot(const char *path);  [man 2 chroot]
Result<void> sys_chroot(Task& task, UserCString path) {
  fs::Actor actor = TRY(ActorOf(task));
  UserPath p;
  TRY(p.Copy(path));
  return fs::ChangeRoot(actor, p.view());
}

// mode_t umask(mode_t mask);  [man 2 umask]
Result<u32> sys_umask(Task& task, Mode mask) {
  if (!task.fs_context()) return Errno::kEINVAL;
  return task.fs_context()->SetUmask(mask.value);
}

}  // namespace kernel::syscalls
