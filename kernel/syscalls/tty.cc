#include "kernel/syscalls/tty.h"

#include "kernel/proc/process.h"
#include "kernel/tty/session.h"

namespace kernel::syscalls {
namespace {
Result<proc::Process*> Target(proc::Task& task, int pid) {
  if (pid < 0) return Errno::kESRCH;
  proc::Process* p = pid == 0 ? task.process() : tty::FindProcess(pid);
  if (p == nullptr) return Errno::kESRCH;
  return p;
}
}  // namespace

// pid_t setsid(void);   [man 2 setsid]
Result<int> sys_setsid(proc::Task& task) { return tty::SetSid(*task.process()); }

// int setpgid(pid_t pid, pid_t pgid);   [man 2 setpgid]
Result<void> sys_setpgid(proc::Task& task, int pid, int pgid) {
  if (pid < 0) return Errno::kESRCH;
  return tty::SetPgid(*task.process(), pid, pgid);
}

// pid_t getpgid(pid_t pid);   [man 2 getpgid]
Result<int> sys_getpgid(proc::Task& task, int pid) {
  proc::Process* p = TRY(Target(task, pid));
  return tty::PgidOf(*p);
}

// pid_t getpgrp(void);   [man 2 getpgrp]
Result<int> sys_getpgrp(proc::Task& task) { return tty::PgidOf(*task.process()); }

// pid_t getsid(pid_t pid);   [man 2 getsid]
Result<int> sys_getsid(proc::Task& task, int pid) {
  proc::Process* p = TRY(Target(task, pid));
  return tty::SidOf(*p);
}

}  // namespace kernel::syscalls
