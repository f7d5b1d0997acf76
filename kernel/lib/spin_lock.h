#pragma once
/// SpinLock: a short, non-sleeping lock that also masks interrupts on this CPU.
#include <hal/interrupts.h>

#include "kernel/lib/assert.h"
#include "kernel/lib/lock_rank.h"
#include "kernel/lib/result.h"
#include "kernel/lib/std.h"
#include "kernel/lib/thread_annotations.h"

namespace kernel::lib {

/// A spinlock that saves and disables interrupts for as long as it is held (Linux's
/// spin_lock_irqsave), so interrupt handlers and the code they interrupt can share data.
/// Hold it briefly and never sleep while holding it.
///
/// The kernel is uniprocessor: with interrupts off nothing else runs, so finding the lock
/// already taken can only mean this CPU holds it, and that is a recursive acquire: a
/// guaranteed deadlock, reported as a panic. Releasing a lock that is not held also panics.
/// Debug builds check the declared LockRank on every acquire (kernel/lib/lock_rank.h).
/// TODO(#3): spin on contention and record the holding CPU once there is more than one.
///
/// Use it through Guard<SpinLock> or Protected<T, SpinLock> rather than by hand.
class ARAMID_CAPABILITY("spinlock") SpinLock {
 public:
  constexpr explicit SpinLock(LockRank rank = LockRank::kUnranked, const char* name = "spinlock")
      : rank_(rank), name_(name) {}
  SpinLock(const SpinLock&) = delete;
  SpinLock& operator=(const SpinLock&) = delete;

  void Acquire() ARAMID_ACQUIRE() {
    hal::IrqState state = hal::Interrupts::SaveAndDisable();
    if (locked_.exchange(true, memory_order_acquire)) {
      Panic("spinlock %s (%p) acquired recursively", name_, static_cast<void*>(this));
    }
    saved_ = state;
    if constexpr (kDebugChecks) lockdep::OnSpinAcquire(this, rank_, name_);
  }

  /// Takes the lock if it is free. On this uniprocessor kernel a held lock is held by the
  /// caller, so false means "already mine"; the interrupt state is left as it was.
  bool TryAcquire() ARAMID_TRY_ACQUIRE(true) {
    hal::IrqState state = hal::Interrupts::SaveAndDisable();
    if (locked_.exchange(true, memory_order_acquire)) {
      hal::Interrupts::Restore(state);
      return false;
    }
    saved_ = state;
    if constexpr (kDebugChecks) lockdep::OnSpinAcquire(this, rank_, name_);
    return true;
  }

  /// Drops the lock and restores the interrupt state saved when it was taken.
  void Release() ARAMID_RELEASE() {
    if (!locked_.load(memory_order_relaxed)) {
      Panic("spinlock %s (%p) released while not held", name_, static_cast<void*>(this));
    }
    if constexpr (kDebugChecks) lockdep::OnSpinRelease(this);
    hal::IrqState state = saved_;
    locked_.store(false, memory_order_release);
    hal::Interrupts::Restore(state);
  }

  /// Whether the lock is held (on this CPU).
  bool held() const { return locked_.load(memory_order_relaxed); }
  /// Panics unless the lock is held; tells the thread-safety analysis that it is.
  void AssertHeld() const ARAMID_ASSERT_CAPABILITY(this) {
    if (!held()) Panic("spinlock %s (%p) is not held", name_, static_cast<const void*>(this));
  }

  LockRank rank() const { return rank_; }
  const char* name() const { return name_; }

 private:
  atomic<bool> locked_{false};
  hal::IrqState saved_{};  // written only by the holder
  LockRank rank_;
  const char* name_;
};

}  // namespace kernel::lib
