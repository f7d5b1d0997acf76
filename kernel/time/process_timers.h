#pragma once
/// Per-process timers and CPU-time bookkeeping [man 2 setitimer, man 2 timer_create,
/// man 2 times, man 2 getrusage]: ITIMER_REAL (and alarm) on the monotonic clock,
/// ITIMER_VIRTUAL and ITIMER_PROF on the process's CPU time (checked on every return from
/// user mode), POSIX timers, and the CPU time of exited threads and reaped children.
///
/// Timer callbacks run from the tick with interrupts off: they only raise signals, which is
/// allocation-free for standard signals, and POSIX timers own their queued siginfo.
#include "kernel/signal/pending.h"
#include "kernel/time/clocks.h"
#include "kernel/time/timer.h"

namespace kernel::proc {
class Task;
class Process;
}  // namespace kernel::proc

namespace kernel::time {

inline constexpr int kMaxPosixTimers = 32;

// sigev_notify [man 7 sigevent]
inline constexpr int kSigevSignal = 0, kSigevNone = 1, kSigevThread = 2, kSigevThreadId = 4;

struct PosixTimer {
  proc::Process* owner = nullptr;
  int id = 0;
  int clock = 0;
  int notify = kSigevSignal;
  int signo = 0;
  int tid = 0;    ///< SIGEV_THREAD_ID target
  u64 value = 0;  ///< sigev_value
  u64 interval_ns = 0;
  Timer timer;
  /// Expirations since the signal was queued (becomes si_overrun / timer_getoverrun).
  u64 overrun = 0;
  u64 last_overrun = 0;
  signal::QueuedSignal queued;
};

struct ProcessTimers {
  Timer real;  ///< ITIMER_REAL; data() is the owning Process
  u64 real_interval_ns = 0;
  u64 virt_expiry_ns = 0, virt_interval_ns = 0;  ///< on process user time; 0: disarmed
  u64 prof_expiry_ns = 0, prof_interval_ns = 0;  ///< on process user + system time
  PosixTimer* posix[kMaxPosixTimers] = {};
  CpuTimes dead_threads;  ///< threads of this process that have exited
  CpuTimes children;      ///< children reaped by wait4 (and their children)
};

/// On every return to user mode: fires ITIMER_VIRTUAL/ITIMER_PROF when due.
void CheckCpuTimers(proc::Task& task);
/// execve: POSIX timers are deleted; itimers and alarm survive [man 2 execve].
void OnExec(proc::Process& p);
/// The process is exiting: every timer is cancelled (no callback may touch it afterwards).
void ReleaseProcessTimers(proc::Process& p);
/// A thread exits: its CPU time stays with the process.
void AccountThreadExit(proc::Task& task);
/// wait4 reaped `child`: its CPU time (and its reaped children's) goes to the parent's
/// children times.
void AccountReapedChild(proc::Process& parent, proc::Process& child);

}  // namespace kernel::time
