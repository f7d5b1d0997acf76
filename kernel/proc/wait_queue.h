#pragma once
/// Wait queues: how a task sleeps until something happens. The waiter sets its state to
/// kBlocked *before* testing its condition, and a waker only flips the state back, so a
/// wake-up between the test and the sleep is never lost. Wakers may run in interrupt context.
///
///   Result<void> r = queue.WaitInterruptible([&] { return !pipe.empty(); });
///   // ... and elsewhere, after changing the condition:
///   queue.WakeAll();
#include "kernel/lib/intrusive_list.h"
#include "kernel/lib/result.h"
#include "kernel/proc/scheduler.h"
#include "kernel/time/timer.h"

namespace kernel::proc {

class WaitQueue {
 public:
  WaitQueue() = default;
  WaitQueue(const WaitQueue&) = delete;
  WaitQueue& operator=(const WaitQueue&) = delete;

  /// Sleeps until pred() holds. Signals do not end the wait.
  template <typename Pred>
  void Wait(Pred pred) {
    (void)WaitImpl(pred, /*interruptible=*/false, /*deadline_ns=*/0);
  }

  /// Sleeps until pred() holds (Ok) or a signal is pending (ERESTARTSYS, which the signal
  /// code turns into EINTR or a restart as SA_RESTART says).
  template <typename Pred>
  Result<void> WaitInterruptible(Pred pred) {
    return WaitImpl(pred, /*interruptible=*/true, /*deadline_ns=*/0);
  }

  /// As WaitInterruptible, and ETIMEDOUT once the monotonic clock reaches deadline_ns
  /// (0: no deadline).
  template <typename Pred>
  Result<void> WaitInterruptibleUntil(Pred pred, u64 deadline_ns) {
    return WaitImpl(pred, /*interruptible=*/true, deadline_ns);
  }

  /// Wakes the oldest waiter / every waiter. Safe from interrupt handlers.
  void WakeOne();
  void WakeAll();

  bool has_waiters() const { return !waiters_.empty(); }

 private:
  struct Waiter {
    Task* task;
    lib::ListNode node;
  };

  template <typename Pred>
  Result<void> WaitImpl(Pred& pred, bool interruptible, u64 deadline_ns) {
    Task* self = sched::Current();
    Waiter waiter{self, {}};
    Enqueue(waiter);
    time::Timer timeout;
    if (deadline_ns != 0) timeout.Arm(deadline_ns, &WakeOnTimeout, self);
    Result<void> result = Ok();
    for (;;) {
      self->set_state(TaskState::kBlocked);
      if (pred()) break;
      if (interruptible && self->interrupt_pending()) {
        result = Errno::kERESTARTSYS;
        break;
      }
      if (deadline_ns != 0 && time::MonotonicNs() >= deadline_ns) {
        result = Errno::kETIMEDOUT;
        break;
      }
      sched::Block();
    }
    self->set_state(TaskState::kRunnable);
    timeout.Cancel();
    Dequeue(waiter);
    return result;
  }

  static void WakeOnTimeout(time::Timer& timer);
  void Enqueue(Waiter& w);
  void Dequeue(Waiter& w);

  lib::IntrusiveList<Waiter, &Waiter::node> waiters_;
};

/// Sleeps the current task until the monotonic clock reaches deadline_ns; ERESTARTSYS when a
/// signal comes first (nanosleep's building block).
Result<void> SleepUntil(u64 deadline_ns);

}  // namespace kernel::proc
