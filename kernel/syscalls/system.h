#pragma once
// System information and per-process settings: uname, hostnames, getrandom, arch_prctl,
// resource limits, sysinfo [kernel/syscalls/system.cc].
#include "kernel/proc/task.h"
#include "kernel/syscalls/args.h"

namespace kernel::syscalls {

/// What uname(2) reports as the version (/proc/version, /proc/sys/kernel/version).
inline constexpr const char* kUtsVersion = "#1 SMP PREEMPT_DYNAMIC Aramid";
/// The host and NIS domain names, shared by uname(2) and /proc/sys/kernel/{hostname,
/// domainname}. Set*: EINVAL when longer than 64 bytes.
lib::string_view HostName();
lib::string_view DomainName();
Result<void> SetHostName(lib::string_view name);
Result<void> SetDomainName(lib::string_view name);

Result<void> sys_uname(proc::Task& task, UserOut<u8> buf);
Result<void> sys_sethostname(proc::Task& task, UserIn<char> name, int len);
Result<void> sys_setdomainname(proc::Task& task, UserIn<char> name, int len);
Result<i64> sys_getrandom(proc::Task& task, UserOut<u8> buf, u64 count, Hex flags);
Result<i64> sys_arch_prctl(proc::Task& task, Hex code, u64 addr);
Result<void> sys_prlimit64(proc::Task& task, int pid, unsigned resource, UserIn<u8> new_limit,
                           UserOut<u8> old_limit);
Result<void> sys_getrlimit(proc::Task& task, unsigned resource, UserOut<u8> rlim);
Result<void> sys_setrlimit(proc::Task& task, unsigned resource, UserIn<u8> rlim);
Result<void> sys_sysinfo(proc::Task& task, UserOut<u8> info);
Result<void> sys_reboot(proc::Task& task, Hex magic1, Hex magic2, Hex cmd, VirtAddr arg);

// clang-format off
#define ARAMID_SYSCALLS_SYSTEM(X) \
  X(63, uname)                    \
  X(97, getrlimit)                \
  X(99, sysinfo)                  \
  X(158, arch_prctl)              \
  X(160, setrlimit)               \
  X(169, reboot)                  \
  X(170, sethostname)             \
  X(171, setdomainname)           \
  X(302, prlimit64)               \
  X(318, getrandom)
// clang-format on

}  // namespace kernel::syscalls
