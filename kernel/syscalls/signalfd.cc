#include "kernel/syscalls/signalfd.h"

#include "kernel/fs/fd_table.h"
#include "kernel/signal/signalfd.h"

namespace kernel::syscalls {

// int signalfd(int fd, const sigset_t *mask, size_t sizemask);  the old call has no flags.
Result<Fd> sys_signalfd(Task& task, int fd, UserIn<u64> mask, usize sizemask) {
  return sys_signalfd4(task, fd, mask, sizemask, Hex{0});
}

// int signalfd4(int fd, const sigset_t *mask, size_t sizemask, int flags);  [man 2 signalfd]
// Checked in Linux's order: the mask size, the mask copy, the flags, then the descriptor.
Result<Fd> sys_signalfd4(Task& task, int fd, UserIn<u64> umask, usize sizemask, Hex flags) {
  if (sizemask != sizeof(u64)) return Errno::kEINVAL;
  const signal::SigSet mask(TRY(umask.Read()));
  const u64 f = flags.value & 0xffffffffu;  // an int
  if (f & ~u64{signal::kSfdNonBlock | signal::kSfdCloexec}) return Errno::kEINVAL;
  if (fd != -1) {
    lib::RefPtr<fs::File> file = TRY(GetFile(task, fd));
    TRY(signal::UpdateSignalFd(*file, mask));
    return Fd{fd};
  }
  if (!task.fd_table()) return Errno::kEMFILE;
  lib::RefPtr<fs::File> file = TRY(signal::CreateSignalFd(mask, static_cast<u32>(f)));
  const u32 fd_flags = (f & signal::kSfdCloexec) ? fs::kFdCloexec : 0;
  return Fd{TRY(task.fd_table()->Install(lib::move(file), fd_flags))};
}

}  // namespace kernel::syscalls
