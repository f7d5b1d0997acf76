#pragma once
/// The trap model (docs/architecture.md): a user task's kernel context runs this loop for its
/// whole life, entering user mode and handling whatever brought it back.
#include <hal/cpu.h>

#include "kernel/proc/task.h"

namespace kernel::proc {

/// Runs `task` (the current task) in user mode until it exits. Its user context must already
/// hold the initial registers (execve sets them up).
[[noreturn]] void RunUserLoop(Task& task);

/// A user fault the kernel could not resolve (a #PF outside any mapping, #UD, #DE, #GP...):
/// the signal it raises (SIGSEGV, SIGILL, SIGFPE, SIGBUS, SIGTRAP) and its si_code/si_addr.
struct FaultSignal {
  int signal;
  int code;
  u64 address;
};
/// `page_fault_error` is what mm::HandleUserPageFault said for a page fault.
FaultSignal ClassifyFault(const hal::Trap& trap, u64 rip, Errno page_fault_error = Errno::kEFAULT);

/// Queues the signal for an unresolved fault (signal::QueueFault); a handler may catch it,
/// otherwise the default action kills the process on the way back to user mode. With
/// `debug=fault` the registers and last system calls are logged first.
void ForceFaultSignal(Task& task, const hal::Trap& trap, Errno page_fault_error = Errno::kEFAULT);

/// Whether `debug=fault` dumps are on (with the page walk of a faulting address).
void SetFaultDebug(bool enabled);

/// Whether `debug=pagefault` logs every user page fault (a line each; a page walk for those
/// that end in a signal).
void SetPageFaultDebug(bool enabled);

}  // namespace kernel::proc
