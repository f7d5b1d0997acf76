#pragma once
/// Per-task and per-process signal state, embedded in proc::Task and proc::Process.
///
///   Handlers       the 64 dispositions; shared by tasks cloned with CLONE_SIGHAND
///   TaskSignals    blocked mask, thread-directed pending signals, alternate stack, the mask
///                  to restore after sigsuspend, the last fault, the restart block
///   ProcessSignals process-directed pending signals, job-control stop state, what wait4 may
///                  report about stops and continues
///
/// Locking: see pending.h. Everything here is changed with interrupts off, because timers
/// raise signals from the tick.
#include "kernel/fs/poll_queue.h"
#include "kernel/lib/ref_ptr.h"
#include "kernel/signal/abi.h"
#include "kernel/signal/frame.h"
#include "kernel/signal/pending.h"

namespace kernel::proc {
class Task;
}

namespace kernel::signal {

/// What a signal does when its disposition is SIG_DFL [man 7 signal, "Standard signals"].
enum class DefaultAction : u8 { kTerminate, kCoreDump, kIgnore, kStop, kContinue };
DefaultAction DefaultActionOf(int sig);

class Handlers : public lib::RefCounted<Handlers> {
 public:
  static Result<lib::RefPtr<Handlers>> Create();
  /// A private copy (fork without CLONE_SIGHAND).
  Result<lib::RefPtr<Handlers>> Clone() const;

  const KSigaction& Get(int sig) const { return actions_[sig - 1]; }
  void Set(int sig, const KSigaction& a) { actions_[sig - 1] = a; }

  /// execve: caught signals go back to SIG_DFL, ignored ones stay ignored, flags and masks are
  /// cleared [man 2 execve, linux flush_signal_handlers].
  void ResetOnExec();

  /// True when `sig` would be discarded if raised now: SIG_IGN, or SIG_DFL with an "ignore"
  /// default (SIGCHLD, SIGURG, SIGWINCH; SIGCONT's continuing happens at send time anyway).
  bool IsIgnored(int sig) const;

 private:
  KSigaction actions_[kNumSignals] = {};
};

/// What restart_syscall(2) resumes after ERESTART_RESTARTBLOCK (nanosleep's remaining time).
struct RestartBlock {
  Result<i64> (*fn)(proc::Task& task, RestartBlock& block) = nullptr;
  u64 args[4] = {};
};

struct TaskSignals {
  lib::RefPtr<Handlers> handlers;
  SigSet blocked;
  /// sigsuspend, ppoll and pselect install a temporary mask; the old one comes back once a
  /// handler frame has saved it, or on the way out when no handler runs.
  SigSet saved_mask;
  /// The mask before sigtimedwait unblocked the awaited signals: while it waits they still
  /// count as blocked, so they are queued even when ignored [linux real_blocked].
  SigSet real_blocked;
  bool restore_mask = false;
  Pending pending;
  AltStack altstack;
  /// The last CPU fault (sigcontext's trapno, err, cr2).
  u64 fault_trapno = 0, fault_err = 0, fault_cr2 = 0;
  RestartBlock restart;
  /// This thread has stopped for a group stop and sleeps until SIGCONT or SIGKILL.
  bool group_stopped = false;
};

struct ProcessSignals {
  Pending shared;
  /// Job control [man 7 signal; linux SIGNAL_STOP_STOPPED, SIGNAL_STOP_CONTINUED].
  bool stopped = false;  ///< every thread is stopped (or stopping) by `stop_signal`
  int stop_signal = 0;
  bool stop_unreported = false;       ///< wait4(WUNTRACED) has not reported this stop yet
  bool continued_unreported = false;  ///< wait4(WCONTINUED) has not reported a continue yet
  /// A fatal signal is killing the whole process; the status to exit with.
  bool group_exit = false;
  int group_exit_status = 0;
  /// RLIMIT_CORE's soft limit: Linux sets the wait status's core-dump bit (0x80) only when a
  /// core was written, which with the default limit of 0 it is not. We write no cores, but
  /// report the bit when the limit would have allowed one. TODO(#5): setrlimit updates this.
  u64 core_rlimit = 0;
  /// Told whenever a signal becomes pending for the process or one of its threads: signalfd
  /// files are readable then [linux sighand_struct.signalfd_wqh, signalfd_notify].
  fs::PollQueue signalfd_poll;
};

}  // namespace kernel::signal
