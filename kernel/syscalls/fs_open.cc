#include "kernel/syscalls/fs_open.h"

#include "kernel/fs/open.h"

namespace kernel::syscalls {
namespace {

constexpr unsigned kCloseRangeUnshare = 2;
constexpr unsigned kCloseRangeCloexec = 4;

Result<Fd> OpenAndInstall(Task& task, int dirfd, UserCString path, u32 flags, u32 mode,
                          u64 resolve) {
  fs::Actor actor = TRY(ActorOf(task));
  UserPath p;
  TRY(p.Copy(path));
  // Every open on a 64-bit kernel is a large-file open (force_o_largefile); F_GETFL shows it.
  flags |= fs::o::kLargeFile;
  lib::RefPtr<fs::File> file = TRY(fs::Open(actor, dirfd, p.view(), flags, mode, resolve));
  int fd = TRY(
      task.fd_table()->Install(lib::move(file), (flags & fs::o::kCloexec) ? fs::kFdCloexec : 0));
  return Fd{fd};
}

}  // namespace

// int open(const char *pathname, int flags, mode_t mode);  [man 2 open]
Result<Fd> sys_open(Task& task, UserCString path, int flags, Mode mode) {
  return OpenAndInstall(task, fs::kAtFdCwd, path, static_cast<u32>(flags) & fs::o::kValid,
                        mode.value & 07777, 0);
}

// int openat(int dirfd, const char *pathname, int flags, mode_t mode);  [man 2 openat]
Result<Fd> sys_openat(Task& task, DirFd dirfd, UserCString path, int flags, Mode mode) {
  return OpenAndInstall(task, dirfd.value, path, static_cast<u32>(flags) & fs::o::kValid,
                        mode.value & 07777, 0);
}

// long openat2(int dirfd, const char *pathname, struct open_how *how, size_t size);
// [man 2 openat2]: unlike open(2), unknown flags and stray modes are errors.
Result<Fd> sys_openat2(Task& task, DirFd dirfd, UserCString path, UserIn<fs::OpenHow> how,
                       usize size) {
  if (size < sizeof(fs::OpenHow)) return Errno::kEINVAL;
  if (size > kPageSize) return Errno::kE2BIG;
  fs::OpenHow h = TRY(how.Read());
  // A larger struct from a newer libc is fine if the fields we do not know are zero.
  for (usize off = sizeof(fs::OpenHow); off < size; ++off) {
    u8 b;
    TRY(mm::CopyFromUser(&b, how.addr() + off, 1));
    if (b != 0) return Errno::kE2BIG;
  }
  if (h.flags & ~u64{fs::o::kValid}) return Errno::kEINVAL;
  if (h.resolve & ~fs::resolve::kValid) return Errno::kEINVAL;
  if (h.mode & ~u64{07777}) return Errno::kEINVAL;
  u32 flags = static_cast<u32>(h.flags);
  bool creating = (flags & fs::o::kCreat) || (flags & fs::o::kTmpFile) == fs::o::kTmpFile;
  if (h.mode != 0 && !creating) return Errno::kEINVAL;
  if ((h.resolve & fs::resolve::kBeneath) && (h.resolve & fs::resolve::kInRoot)) {
    return Errno::kEINVAL;
  }
  if (flags & fs::o::kPath) {
    if (flags & ~(fs::o::kPath | fs::o::kDirectory | fs::o::kNoFollow | fs::o::kCloexec)) {
      return Errno::kEINVAL;
    }
  }
  if (h.resolve & fs::resolve::kCached) {
    // Only a lookup that needs no I/O may succeed; ours never needs I/O, but creating does
    // more than look up.
    if (creating || (flags & fs::o::kTrunc)) return Errno::kEAGAIN;
  }
  return OpenAndInstall(task, dirfd.value, path, flags, static_cast<u32>(h.mode), h.resolve);
}

// int creat(const char *pathname, mode_t mode);  [man 2 creat]
Result<Fd> sys_creat(Task& task, UserCString path, Mode mode) {
  return OpenAndInstall(task, fs::kAtFdCwd, path, fs::o::kCreat | fs::o::kWrOnly | fs::o::kTrunc,
                        mode.value & 07777, 0);
}

// int close(int fd);  [man 2 close]
Result<void> sys_close(Task& task, Fd fd) {
  if (!task.fd_table()) return Errno::kEBADF;
  TRY(task.fd_table()->Remove(fd.value));
  return Ok();
}

// int close_range(unsigned int first, unsigned int last, unsigned int flags);
// [man 2 close_range]
Result<void> sys_close_range(Task& task, unsigned first, unsigned last, unsigned flags) {
  if (flags & ~(kCloseRangeUnshare | kCloseRangeCloexec)) return Errno::kEINVAL;
  if (first > last) return Errno::kEINVAL;
  if (!task.fd_table()) return Ok();
  if ((flags & kCloseRangeUnshare) && task.fd_table()->ref_count_for_debug() > 1) {
    // Shared with other threads (CLONE_FILES): close in a private copy instead.
    task.set_fd_table(TRY(task.fd_table()->Clone()));
  }
  task.fd_table()->CloseRange(first, last, (flags & kCloseRangeCloexec) != 0);
  return Ok();
}

}  // namespace kernel::syscalls
