#pragma once
/// A set of pending signals with their siginfo: one per thread (tkill, faults) and one per
/// process (kill) [man 7 signal, "Signal mask and pending signals"].
///
/// Standard signals (1-31) are pending at most once: a second one while the first is pending
/// is merged. Their siginfo lives inline, so raising one never allocates and is safe from
/// interrupt handlers (timers, the terminal). Real-time signals (32-64) queue: each instance
/// keeps its own siginfo in a QueuedSignal, allocated by the sender or owned by a POSIX timer.
///
/// Locking: accessed with interrupts off (hal::IrqGuard) by the callers in signal/send.cc and
/// signal/deliver.cc; the kernel is uniprocessor.
#include "kernel/lib/intrusive_list.h"
#include "kernel/lib/result.h"
#include "kernel/signal/abi.h"

namespace kernel::signal {

/// One queued instance of a real-time signal.
struct QueuedSignal {
  SigInfo info;
  lib::ListNode node;
  /// Not freed when dequeued: owned by a POSIX timer, which is told through `on_dequeue`.
  void* owner = nullptr;
  void (*on_dequeue)(QueuedSignal& q) = nullptr;
};

/// The number of real-time signals queued system-wide beyond which sigqueue fails with
/// EAGAIN (Linux bounds it per user by RLIMIT_SIGPENDING).
inline constexpr u32 kMaxQueuedSignals = 4096;

class Pending {
 public:
  Pending() = default;
  Pending(const Pending&) = delete;
  Pending& operator=(const Pending&) = delete;
  ~Pending() { Clear(); }

  SigSet set() const { return set_; }
  bool Has(int sig) const { return set_.Has(sig); }

  /// Adds an instance of `sig` with `info` [linux __send_signal]. A standard signal already
  /// pending is merged (Ok). A real-time signal is queued in a new QueuedSignal; when none can
  /// be had the signal is still marked pending without its info if `may_lose_info` (kill(2)
  /// does this), else EAGAIN (sigqueue(3)).
  Result<void> Add(const SigInfo& info, bool may_lose_info);
  /// Queues a caller-owned instance (a POSIX timer's preallocated signal), even for a standard
  /// signal already pending, as Linux's send_sigqueue does.
  void AddOwned(QueuedSignal& q);
  /// Takes a caller-owned instance back out (a deleted POSIX timer); no-op if not here.
  void RemoveOwned(QueuedSignal& q);
  /// Whether `q` (caller-owned) is queued here.
  bool IsQueued(const QueuedSignal& q) const { return q.node.linked(); }

  /// The signal to take next among those not in `blocked`: synchronous (fault) signals first,
  /// then the lowest number [linux next_signal]. 0 when none.
  int Next(SigSet blocked) const;
  /// Removes one instance of `sig` and returns its siginfo (a standard signal, or a real-time
  /// one queued without info, gets a minimal SI_USER siginfo).
  SigInfo Take(int sig);
  /// Discards every instance of the signals in `sigs` (SIGCONT flushing stops, SIG_IGN).
  void Discard(SigSet sigs);
  void Clear() { Discard(SigSet(~u64{0})); }

 private:
  // Inline siginfo of the standard signals; index sig - 1.
  struct Stored {
    i32 errno_value;
    i32 code;
    u8 fields[32];
  };
  SigSet set_;
  // Standard signals whose pending instance is the inline one in standard_. A standard
  // signal can also be pending as a caller-owned QueuedSignal (a POSIX timer with SIGUSR1,
  // whose si_code SI_TIMER and si_value must survive), or as both.
  SigSet inline_;
  Stored standard_[kSigRtMin - 1] = {};
  lib::IntrusiveList<QueuedSignal, &QueuedSignal::node> queue_;
  // Real-time signals pending without a queued siginfo (allocation failed).
  SigSet lost_info_;
};

/// The number of heap-allocated QueuedSignals alive (tests check for leaks).
u32 QueuedSignalCount();

}  // namespace kernel::signal
