#include "kernel/syscalls/fs_fd.h"

#include "kernel/fs/credentials.h"
#include "kernel/fs/eventfd.h"
#include "kernel/fs/locks.h"
#include "kernel/fs/pipe.h"
#include "kernel/proc/process.h"

namespace kernel::syscalls {
namespace {

constexpr u32 kODirectPacket = fs::o::kDirect;  // pipe2's packet mode flag

fs::FdTable& Table(Task& task) { return *task.fd_table(); }

i32 PidOf(Task& task) { return task.process() != nullptr ? task.process()->pid() : task.tid(); }

Result<i64> Locking(Task& task, fs::File& file, int cmd, u64 arg) {
  bool ofd =
      cmd == fs::fcntl::kOfdGetLk || cmd == fs::fcntl::kOfdSetLk || cmd == fs::fcntl::kOfdSetLkW;
  UserInOut<fs::Flock> user(arg);
  fs::Flock fl = TRY(user.Read());
  if (ofd && fl.pid != 0) return Errno::kEINVAL;  // must be zero [man 2 fcntl]
  fs::LockRange want = TRY(fs::LockRangeFrom(fl, file));
  want.pid = ofd ? -1 : PidOf(task);
  const void* owner = ofd ? static_cast<const void*>(&file) : task.fd_table().get();
  if (cmd == fs::fcntl::kGetLk || cmd == fs::fcntl::kOfdGetLk) {
    if (want.type == fs::kUnLck) return Errno::kEINVAL;
    fs::LockRange got = TRY(fs::TestLock(file, owner, want));
    fl.type = got.type;
    if (got.type != fs::kUnLck) {
      fl.whence = fs::kSeekSet;
      fl.start = static_cast<i64>(got.start);
      fl.len = got.end == fs::kLockEof ? 0 : static_cast<i64>(got.end - got.start + 1);
      fl.pid = got.pid;
    }
    TRY(user.Write(fl));
    return 0;
  }
  bool wait = cmd == fs::fcntl::kSetLkW || cmd == fs::fcntl::kOfdSetLkW;
  TRY(fs::SetLock(file, owner, want, wait));
  return 0;
}

}  // namespace

// int dup(int oldfd);  [man 2 dup]
Result<Fd> sys_dup(Task& task, Fd oldfd) {
  lib::RefPtr<fs::File> f = TRY(GetFileRaw(task, oldfd.value));
  return Fd{TRY(Table(task).Install(lib::move(f), 0))};
}

// int dup2(int oldfd, int newfd);  [man 2 dup2]
Result<Fd> sys_dup2(Task& task, Fd oldfd, Fd newfd) {
  lib::RefPtr<fs::File> f = TRY(GetFileRaw(task, oldfd.value));
  if (oldfd.value == newfd.value) return newfd;
  TRY(Table(task).InstallAt(newfd.value, lib::move(f), 0));
  return newfd;
}

// int dup3(int oldfd, int newfd, int flags);  [man 2 dup3]
Result<Fd> sys_dup3(Task& task, Fd oldfd, Fd newfd, Hex flags) {
  if (flags.value & ~u64{fs::o::kCloexec}) return Errno::kEINVAL;
  if (oldfd.value == newfd.value) return Errno::kEINVAL;
  lib::RefPtr<fs::File> f = TRY(GetFileRaw(task, oldfd.value));
  TRY(Table(task).InstallAt(newfd.value, lib::move(f),
                            (flags.value & fs::o::kCloexec) ? fs::kFdCloexec : 0));
  return newfd;
}

// int fcntl(int fd, int cmd, ... /* arg */);  [man 2 fcntl]
Result<i64> sys_fcntl(Task& task, Fd fd, int cmd, u64 arg) {
  lib::RefPtr<fs::File> file = TRY(GetFileRaw(task, fd.value));
  fs::FdTable& table = Table(task);
  // O_PATH descriptors allow only these [fs/fcntl.c check_fcntl_cmd].
  if (file->kind() == fs::FileKind::kPath && cmd != fs::fcntl::kDupFd &&
      cmd != fs::fcntl::kDupFdCloexec && cmd != fs::fcntl::kGetFd && cmd != fs::fcntl::kSetFd &&
      cmd != fs::fcntl::kGetFl) {
    return Errno::kEBADF;
  }
  switch (cmd) {
    case fs::fcntl::kDupFd:
    case fs::fcntl::kDupFdCloexec: {
      if (static_cast<i64>(static_cast<int>(arg)) < 0 || static_cast<u32>(arg) >= table.limit()) {
        return Errno::kEINVAL;
      }
      u32 fl = cmd == fs::fcntl::kDupFdCloexec ? fs::kFdCloexec : 0;
      return TRY(table.Install(file, fl, static_cast<int>(arg)));
    }
    case fs::fcntl::kGetFd:
      return TRY(table.GetFdFlags(fd.value));
    case fs::fcntl::kSetFd:
      TRY(table.SetFdFlags(fd.value, static_cast<u32>(arg)));
      return 0;
    case fs::fcntl::kGetFl:
      return file->flags();
    case fs::fcntl::kSetFl:
      file->SetStatusFlags(static_cast<u32>(arg));
      return 0;
    case fs::fcntl::kGetLk:
    case fs::fcntl::kSetLk:
    case fs::fcntl::kSetLkW:
    case fs::fcntl::kOfdGetLk:
    case fs::fcntl::kOfdSetLk:
    case fs::fcntl::kOfdSetLkW:
      return Locking(task, *file, cmd, arg);
    case fs::fcntl::kGetOwn:
    case fs::fcntl::kGetSig:
    case fs::fcntl::kSetOwn:
    case fs::fcntl::kSetSig:
      return 0;  // TODO(#8): SIGIO delivery; nobody owns the file until then
    case fs::fcntl::kGetLease:
      return fs::kUnLck;
    case fs::fcntl::kGetPipeSz:
      if (file->kind() != fs::FileKind::kPipe) return Errno::kEBADF;
      return static_cast<i64>(static_cast<fs::PipeFile&>(*file).pipe().capacity());
    case fs::fcntl::kSetPipeSz: {
      if (file->kind() != fs::FileKind::kPipe) return Errno::kEBADF;
      fs::Credentials cred = fs::CredentialsOf(task);
      usize size = TRY(static_cast<fs::PipeFile&>(*file).pipe().Resize(
          static_cast<usize>(static_cast<u32>(arg)), cred.Has(fs::Cap::kSysAdmin)));
      return static_cast<i64>(size);
    }
    default:
      return Errno::kEINVAL;
  }
}

// int ioctl(int fd, unsigned long request, ...);  [man 2 ioctl]: the generic FIO* requests
// here, everything else to the file [fs/ioctl.c do_vfs_ioctl].
Result<i64> sys_ioctl(Task& task, Fd fd, Hex cmd_arg, u64 arg) {
  lib::RefPtr<fs::File> file = TRY(GetFile(task, fd.value));
  u32 cmd = static_cast<u32>(cmd_arg.value);
  switch (cmd) {
    case fs::ioctl::kFioclex:
      TRY(Table(task).SetFdFlags(fd.value, fs::kFdCloexec));
      return 0;
    case fs::ioctl::kFionclex:
      TRY(Table(task).SetFdFlags(fd.value, 0));
      return 0;
    case fs::ioctl::kFionbio:
    case fs::ioctl::kFioasync: {
      int on = TRY(UserIn<int>(arg).Read());
      u32 bit = cmd == fs::ioctl::kFionbio ? fs::o::kNonBlock : fs::o::kAsync;
      u32 flags = file->flags();
      file->SetStatusFlags(on != 0 ? (flags | bit) : (flags & ~bit));
      return 0;
    }
    default:
      return file->Ioctl(task, cmd, arg);
  }
}

// int flock(int fd, int operation);  [man 2 flock]
Result<void> sys_flock(Task& task, Fd fd, int operation) {
  // Linux checks in this order: LOCK_MAND requests are ignored with success (before even the
  // descriptor is looked at), then a bad operation is EINVAL, then a bad fd EBADF [fs/locks.c
  // SYSCALL_DEFINE2(flock), 6.x].
  if (operation & fs::kLockMand) return Ok();
  TRY(fs::FlockTypeOf(operation));
  lib::RefPtr<fs::File> file = TRY(GetFile(task, fd.value));
  return fs::FlockFile(*file, operation);
}

// int pipe(int pipefd[2]);  [man 2 pipe]
Result<void> sys_pipe(Task& task, UserOut<int> fds) { return sys_pipe2(task, fds, Hex{0}); }

// int pipe2(int pipefd[2], int flags);  [man 2 pipe2]
Result<void> sys_pipe2(Task& task, UserOut<int> fds, Hex flags) {
  if (flags.value & ~u64{fs::o::kCloexec | fs::o::kNonBlock | kODirectPacket}) {
    return Errno::kEINVAL;
  }
  fs::Credentials cred = fs::CredentialsOf(task);
  fs::PipeEnds ends = TRY(fs::CreatePipe(static_cast<u32>(flags.value), cred.uid, cred.gid));
  u32 fd_flags = (flags.value & fs::o::kCloexec) ? fs::kFdCloexec : 0;
  fs::FdTable& table = Table(task);
  int r = TRY(table.Install(ends.read, fd_flags));
  Result<int> w = table.Install(ends.write, fd_flags);
  if (w.is_error()) {
    (void)table.Remove(r);
    return w.error();
  }
  int pair[2] = {r, w.value()};
  Result<void> copied = fds.WriteArray(pair, 2);
  if (copied.is_error()) {
    (void)table.Remove(r);
    (void)table.Remove(w.value());
    return copied.error();
  }
  return Ok();
}

// int eventfd(unsigned int initval, int flags);  [man 2 eventfd]; the old call has no flags.
Result<Fd> sys_eventfd(Task& task, unsigned initval) { return sys_eventfd2(task, initval, Hex{0}); }

Result<Fd> sys_eventfd2(Task& task, unsigned initval, Hex flags) {
  if (flags.value > 0xffffffffu) return Errno::kEINVAL;
  lib::RefPtr<fs::File> f = TRY(fs::CreateEventFd(initval, static_cast<u32>(flags.value)));
  u32 fd_flags = (flags.value & fs::kEfdCloexec) ? fs::kFdCloexec : 0;
  return Fd{TRY(Table(task).Install(lib::move(f), fd_flags))};
}

}  // namespace kernel::syscalls
