#include "kernel/syscalls/timerfd.h"

#include "kernel/fs/fd_table.h"
#include "kernel/time/timerfd.h"

namespace kernel::syscalls {

// int timerfd_create(int clockid, int flags);   [man 2 timerfd_create]
Result<Fd> sys_timerfd_create(Task& task, int clockid, int flags) {
  // The _ALARM clocks need CAP_WAKE_ALARM, which only root has here.
  const bool privileged = task.credentials().euid == 0;
  lib::RefPtr<fs::File> file =
      TRY(time::CreateTimerFd(clockid, static_cast<u32>(flags), privileged));
  if (!task.fd_table()) return Errno::kEMFILE;
  const u32 fd_flags = (static_cast<u32>(flags) & time::kTfdCloexec) ? fs::kFdCloexec : 0;
  return Fd{TRY(task.fd_table()->Install(lib::move(file), fd_flags))};
}

// int timerfd_settime(int fd, int flags, const struct itimerspec *new_value,
//                     struct itimerspec *old_value);
// Linux's order: copy in (EFAULT), flags and values (EINVAL), the descriptor (EBADF, EINVAL),
// copy out.
Result<void> sys_timerfd_settime(Task& task, Fd fd, int flags, UserIn<time::Itimerspec> unew,
                                 UserOut<time::Itimerspec> uold) {
  const time::Itimerspec v = TRY(unew.Read());
  const u32 f = static_cast<u32>(flags);
  if ((f & ~(time::kTfdTimerAbstime | time::kTfdTimerCancelOnSet)) || !time::IsValid(v.value) ||
      !time::IsValid(v.interval)) {
    return Errno::kEINVAL;
  }
  lib::RefPtr<fs::File> file = TRY(GetFile(task, fd.value));
  const time::Itimerspec old = TRY(time::SetTimerFd(*file, f, v));
  if (!uold.is_null()) TRY(uold.Write(old));
  return Ok();
}

// int timerfd_gettime(int fd, struct itimerspec *curr_value);
Result<void> sys_timerfd_gettime(Task& task, Fd fd, UserOut<time::Itimerspec> uvalue) {
  lib::RefPtr<fs::File> file = TRY(GetFile(task, fd.value));
  return uvalue.Write(TRY(time::GetTimerFd(*file)));
}

}  // namespace kernel::syscalls
