#include "kernel/proc/wait_queue.h"

#include <hal/interrupts.h>

namespace kernel::proc {

void WaitQueue::Enqueue(Waiter& w) {
  hal::IrqGuard guard;
  waiters_.PushBack(w);
}

void WaitQueue::Dequeue(Waiter& w) {
  hal::IrqGuard guard;
  waiters_.Remove(w);
}

void WaitQueue::WakeOne() {
  hal::IrqGuard guard;
  // Wake the first waiter that is still asleep; one already woken will re-check on its own.
  for (Waiter& w : waiters_) {
    if (w.task->state() == TaskState::kBlocked) {
      sched::Wake(*w.task);
      return;
    }
  }
}

void WaitQueue::WakeAll() {
  hal::IrqGuard guard;
  for (Waiter& w : waiters_) sched::Wake(*w.task);
}

void WaitQueue::WakeOnTimeout(time::Timer& timer) {
  sched::Wake(*static_cast<Task*>(timer.data()));
}

Result<void> SleepUntil(u64 deadline_ns) {
  WaitQueue nobody;
  Result<void> r = nobody.WaitInterruptibleUntil([] { return false; }, deadline_ns);
  if (r.is_error() && r.error() == Errno::kETIMEDOUT) return Ok();
  return r;
}

}  // namespace kernel::proc
