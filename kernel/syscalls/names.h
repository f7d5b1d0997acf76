#pragma once
#include "kernel/lib/types.h"

namespace kernel::syscalls {

/// One past the highest x86_64 system-call number Linux 6.1 defines.
inline constexpr usize kSyscallNameCount = 451;

/// The Linux name of a system-call number ("openat"), or nullptr for an unassigned number.
const char* SyscallName(u64 number);

}  // namespace kernel::syscalls
