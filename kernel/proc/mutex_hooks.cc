// The scheduler's side of lib::Mutex: how a task sleeps on a contended mutex and how Release
// wakes it. kernel/lib sits below the scheduler, so the mutex only holds an opaque word
// (wait_queue()) that we use as the head of a FIFO of waiters living on their own stacks.
#include <hal/interrupts.h>

#include "kernel/lib/mutex.h"
#include "kernel/proc/scheduler.h"

namespace kernel::proc {
namespace {

struct MutexWaiter {
  Task* task;
  MutexWaiter* next;
  bool queued;
};

MutexWaiter*& Head(lib::Mutex& m) { return reinterpret_cast<MutexWaiter*&>(m.wait_queue()); }

void WaitOnMutex(lib::Mutex& m) {
  Task* self = sched::Current();
  MutexWaiter me{self, nullptr, true};
  {
    hal::IrqGuard guard;
    MutexWaiter** tail = &Head(m);
    while (*tail != nullptr) tail = &(*tail)->next;
    *tail = &me;
    self->set_state(TaskState::kBlocked);
  }
  sched::Block();
  hal::IrqGuard guard;
  if (me.queued) {  // a spurious wake-up: take ourselves off the list; Acquire re-checks
    for (MutexWaiter** p = &Head(m); *p != nullptr; p = &(*p)->next) {
      if (*p == &me) {
        *p = me.next;
        break;
      }
    }
  }
  self->set_state(TaskState::kRunnable);
}

void WakeMutexWaiter(lib::Mutex& m) {
  hal::IrqGuard guard;
  MutexWaiter* first = Head(m);
  if (first == nullptr) return;
  Head(m) = first->next;
  first->queued = false;
  sched::Wake(*first->task);
}

const void* CurrentTaskId() { return sched::Current(); }

}  // namespace

void InstallMutexHooks() {
  lib::SetMutexWaitHooks(&WaitOnMutex, &WakeMutexWaiter);
  lib::SetMutexOwnerHook(&CurrentTaskId);
}

}  // namespace kernel::proc
