// The system-call table, built at compile time from each family's list. To add a family:
// write kernel/syscalls/<family>.{h,cc} with its handlers and an ARAMID_SYSCALLS_<FAMILY>(X)
// list, include the header here and add the list to kTable below (docs/adding-a-syscall.md).
#include "kernel/syscalls/table.h"

#include "kernel/syscalls/cred.h"
#include "kernel/syscalls/exec.h"
#include "kernel/syscalls/fs_dir.h"
#include "kernel/syscalls/fs_fd.h"
#include "kernel/syscalls/fs_mount.h"
#include "kernel/syscalls/fs_namei.h"
#include "kernel/syscalls/fs_open.h"
#include "kernel/syscalls/fs_rw.h"
#include "kernel/syscalls/fs_stat.h"
#include "kernel/syscalls/futex.h"
#include "kernel/syscalls/mm.h"
#include "kernel/syscalls/net.h"
#include "kernel/syscalls/poll.h"
#include "kernel/syscalls/prctl.h"
#include "kernel/syscalls/process.h"
#include "kernel/syscalls/sched.h"
#include "kernel/syscalls/signal.h"
#include "kernel/syscalls/signalfd.h"
#include "kernel/syscalls/syslog.h"
#include "kernel/syscalls/system.h"
#include "kernel/syscalls/time.h"
#include "kernel/syscalls/time_ext.h"
#include "kernel/syscalls/timerfd.h"
#include "kernel/syscalls/tty.h"

namespace kernel::syscalls {
namespace {

struct BuiltTable {
  std::array<SyscallEntry, kSyscallNameCount> entries{};
  int duplicate = -1;  // a number two families both list, if any
};

constexpr BuiltTable kBuilt = [] {
  BuiltTable b;
  auto& t = b.entries;
#define ARAMID_SYSCALL_ENTRY(number, name)               \
  if (t[number].invoke != nullptr) b.duplicate = number; \
  t[number] = internal::MakeEntry<&sys_##name>(#name);
  ARAMID_SYSCALLS_PROCESS(ARAMID_SYSCALL_ENTRY)
  ARAMID_SYSCALLS_SCHED(ARAMID_SYSCALL_ENTRY)
  ARAMID_SYSCALLS_PRCTL(ARAMID_SYSCALL_ENTRY)
  ARAMID_SYSCALLS_SIGNAL(ARAMID_SYSCALL_ENTRY)
  ARAMID_SYSCALLS_CRED(ARAMID_SYSCALL_ENTRY)
  ARAMID_SYSCALLS_TIME_EXT(ARAMID_SYSCALL_ENTRY)
  ARAMID_SYSCALLS_SIGNALFD(ARAMID_SYSCALL_ENTRY)
  ARAMID_SYSCALLS_TIMERFD(ARAMID_SYSCALL_ENTRY)
  ARAMID_SYSCALLS_TTY(ARAMID_SYSCALL_ENTRY)
  ARAMID_SYSCALLS_FS_OPEN(ARAMID_SYSCALL_ENTRY)
  ARAMID_SYSCALLS_FS_RW(ARAMID_SYSCALL_ENTRY)
  ARAMID_SYSCALLS_FS_STAT(ARAMID_SYSCALL_ENTRY)
  ARAMID_SYSCALLS_FS_NAMEI(ARAMID_SYSCALL_ENTRY)
  ARAMID_SYSCALLS_FS_FD(ARAMID_SYSCALL_ENTRY)
  ARAMID_SYSCALLS_FS_DIR(ARAMID_SYSCALL_ENTRY)
  ARAMID_SYSCALLS_FS_MOUNT(ARAMID_SYSCALL_ENTRY)
  ARAMID_SYSCALLS_POLL(ARAMID_SYSCALL_ENTRY)
  ARAMID_SYSCALLS_MM(ARAMID_SYSCALL_ENTRY)
  ARAMID_SYSCALLS_EXEC(ARAMID_SYSCALL_ENTRY)
  ARAMID_SYSCALLS_FUTEX(ARAMID_SYSCALL_ENTRY)
  ARAMID_SYSCALLS_SYSLOG(ARAMID_SYSCALL_ENTRY)
  ARAMID_SYSCALLS_SYSTEM(ARAMID_SYSCALL_ENTRY)
  ARAMID_SYSCALLS_TIME(ARAMID_SYSCALL_ENTRY)
  ARAMID_SYSCALLS_NET(ARAMID_SYSCALL_ENTRY)
#undef ARAMID_SYSCALL_ENTRY
  return b;
}();
// One handler per number: a later family silently replacing an earlier one's is a bug.
static_assert(kBuilt.duplicate < 0, "a system call number is listed by two families");
constexpr const std::array<SyscallEntry, kSyscallNameCount>& kTable = kBuilt.entries;

}  // namespace

const SyscallEntry* Lookup(u64 number) {
  if (number >= kSyscallNameCount || kTable[number].invoke == nullptr) return nullptr;
  return &kTable[number];
}

}  // namespace kernel::syscalls
