#pragma once
/// User page faults: demand paging, copy-on-write, stack growth (kernel/mm/fault.cc).
#include "kernel/lib/result.h"
#include "kernel/lib/types.h"

namespace kernel::proc {
class Task;
}

namespace kernel::mm {

/// Resolves a page fault of `task` at `address` with x86 #PF `error_code` (hal::pf bits).
/// Ok when the access can be retried. Otherwise what the signal is made of: EFAULT when no
/// mapping covers the address (SIGSEGV, SEGV_MAPERR), EACCES when one does but forbids the
/// access (SEGV_ACCERR), ENXIO for a file page wholly past the end of its file (SIGBUS,
/// BUS_ADRERR), ENOMEM when no page could be had.
Result<void> HandleUserPageFault(proc::Task& task, u64 address, u64 error_code);

/// A kernel copy to or from user memory faulted (hal::hooks::OnKernelUserFault): resolves it
/// against the current task's address space, as the user access would be.
bool HandleKernelUserFault(u64 address, u64 error_code);

}  // namespace kernel::mm
