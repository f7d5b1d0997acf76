#pragma once
/// Delivering signals on the way back to user mode, and what the rest of the kernel calls
/// into the signal code for (faults, clone, execve, exit, wait4).
#include <hal/cpu.h>

#include "kernel/lib/result.h"
#include "kernel/signal/abi.h"

namespace kernel::proc {
class Task;
class Process;
}  // namespace kernel::proc

namespace kernel::signal {

/// Runs on every return to user mode (proc::RunUserLoop). Takes pending, unblocked signals
/// one by one: ignored ones are dropped, default actions applied (terminate, core, stop,
/// continue), and each caught one gets a frame on the user stack, nested frames included.
/// `after_syscall` tells that rax holds a system call's result, which may be a restart code
/// to turn into EINTR or a restart. Also stops the thread for a group stop and ends it on a
/// group exit (never returns then).
void DeliverPending(proc::Task& task, bool after_syscall);

/// A CPU fault in user mode that the memory manager could not resolve: queues the signal
/// (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP) with its si_code and si_addr, forced through
/// a blocked or ignored disposition as Linux does, and records trapno/err/cr2 for the frame.
void QueueFault(proc::Task& task, int sig, int code, u64 addr, u64 trapno, u64 err);

/// rt_sigreturn: restores the registers, FPU state, mask and alternate stack saved by the
/// frame at rsp - 8. A frame that cannot be read gets SIGSEGV. Returns the restored rax.
i64 SigReturn(proc::Task& task);

/// Handlers and per-task state for a new task: shares the handlers with CLONE_SIGHAND,
/// copies them otherwise; the mask is inherited, pending signals are not [man 2 clone,
/// man 2 fork]. `clone_flags` are Linux's CLONE_* bits.
Result<void> OnClone(proc::Task& parent, proc::Task& child, u64 clone_flags);

/// execve: handlers reset (a private copy if they were shared), alternate stack cleared; mask
/// and pending signals survive [man 2 execve]. Also marks the process as having exec'd
/// (setpgid on it from its parent is EACCES from now on).
Result<void> ResetOnExec(proc::Task& task);

/// wait4 helpers for proc: a stop or continue not yet reported, as a wait status
/// (WIFSTOPPED: sig << 8 | 0x7f; WIFCONTINUED: 0xffff). `consume` clears the report
/// (everything but WNOWAIT).
bool TakeStopReport(proc::Process& child, int* status, bool consume);
bool TakeContinuedReport(proc::Process& child, int* status, bool consume);

/// For proc's exit path: what the parent's SIGCHLD disposition asks for. True when the child
/// should be reaped at once (SIGCHLD ignored or SA_NOCLDWAIT) [man 2 wait, NOTES].
bool ParentAutoReaps(proc::Process& parent);
/// Sends the child's exit signal (SIGCHLD, or what clone's low byte / clone3's exit_signal
/// chose; 0 sends none) for an exited child, with CLD_EXITED/CLD_KILLED/CLD_DUMPED by its wait
/// status, and wakes the parent's waiters (do_notify_parent).
void NotifyParentExit(proc::Process& child, int wait_status, int signo);

/// The exit status a dying process reports when killed by `sig` (with the core bit as Linux
/// sets it).
int SignalExitStatus(proc::Process& p, int sig);

}  // namespace kernel::signal
