#pragma once
/// User page faults: demand paging, copy-on-write, stack growth (kernel/mm/fault.cc).
#include "kernel/lib/types.h"

namespace kernel::proc {
class Task;
}

namespace kernel::mm {

/// Resolves a page fault of `task` at `address` with x86 #PF `error_code` (hal::pf bits).
/// True when the access can be retried; false when it is a bad access (SIGSEGV/SIGBUS).
bool HandleUserPageFault(proc::Task& task, u64 address, u64 error_code);

/// A kernel copy to or from user memory faulted (hal::hooks::OnKernelUserFault): resolves it
/// against the current task's address space, as the user access would be.
bool HandleKernelUserFault(u64 address, u64 error_code);

}  // namespace kernel::mm
