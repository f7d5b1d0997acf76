#pragma once
/// Raising signals [linux kernel/signal.c send_signal, complete_signal]: to one thread, to a
/// process, to a process group. Safe with interrupts off and from timer callbacks for standard
/// signals (no allocation); real-time signals allocate their queued siginfo.
///
/// What happens at send time: a stop signal discards pending SIGCONTs and SIGCONT discards
/// pending stop signals and resumes a stopped process; an ignored, unblocked signal is
/// dropped; a signal PID 1 has no handler for is dropped unless the kernel forces it; a fatal
/// signal (SIGKILL, or a default-action kill nobody blocks) marks the whole process as dying
/// and wakes every thread, so no thread runs user code again.
#include "kernel/lib/result.h"
#include "kernel/signal/abi.h"
#include "kernel/signal/pending.h"

namespace kernel::proc {
class Task;
class Process;
}  // namespace kernel::proc
namespace kernel::tty {
class ProcessGroup;
}

namespace kernel::signal {

/// siginfo for a signal the kernel raises on its own behalf (SI_KERNEL).
SigInfo KernelInfo(int sig);
/// siginfo for kill(2)/tkill(2) from `sender` (SI_USER / SI_TKILL with si_pid, si_uid).
SigInfo UserInfo(int sig, int code, const proc::Task& sender);

/// How a send treats the receiver's disposition.
enum class SendMode : u8 {
  kNormal,  ///< from a process: PID 1 ignores what it does not handle
  kForced,  ///< from the kernel (faults): unblocked and un-ignored first [linux force_sig]
};

/// To one thread (tkill, tgkill, faults).
Result<void> SendToTask(proc::Task& task, const SigInfo& info, SendMode mode = SendMode::kNormal);
/// To a process: any thread that does not block it takes it.
Result<void> SendToProcess(proc::Process& p, const SigInfo& info, SendMode mode = SendMode::kNormal,
                           bool may_lose_info = true);
/// A caller-owned queued signal (a POSIX timer's): to `thread`, or to the process when null.
/// Dropped like any other when ignored and not blocked.
void SendQueued(proc::Process& p, proc::Task* thread, QueuedSignal& q);
/// To every member of a group. ESRCH when it has none.
Result<void> SendToGroup(tty::ProcessGroup& g, const SigInfo& info);

/// Whether `sender` may signal `target` [man 2 kill, "Permissions"]: root, matching real or
/// effective uid with the target's real or saved uid, or SIGCONT within one session.
bool MaySignal(const proc::Task& sender, proc::Process& target, int sig);

/// Recomputes task.interrupt_pending(): a deliverable signal, a group stop or a group exit.
void RecalcInterrupt(proc::Task& task);
/// Recomputes it for every thread of `p`.
void RecalcInterruptAll(proc::Process& p);

/// The parent of `child` learns that it stopped or continued: SIGCHLD (unless SA_NOCLDSTOP)
/// and a wake-up of its wait4 sleepers. `code` is CLD_STOPPED or CLD_CONTINUED.
void NotifyParentStopCont(proc::Process& child, int code, int sig);

/// proc's wait4 registers how to wake a parent's waiters when a child changes state.
using ChildStateHook = void (*)(proc::Process& parent);
void SetChildStateHook(ChildStateHook hook);
void WakeChildWaiters(proc::Process& parent);

}  // namespace kernel::signal
