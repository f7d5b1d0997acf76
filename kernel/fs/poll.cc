#include "kernel/fs/poll.h"

#include "kernel/lib/alloc.h"
#include "kernel/proc/scheduler.h"
#include "kernel/time/timer.h"

namespace kernel::fs {
namespace {

struct Slot {
  lib::RefPtr<File> file;
  PollQueue::Entry entry;
};

void WakePoller(PollQueue::Entry& e, u32) { proc::sched::Wake(*static_cast<proc::Task*>(e.data)); }
void WakeOnTimeout(time::Timer& t) { proc::sched::Wake(*static_cast<proc::Task*>(t.data())); }

}  // namespace

Result<usize> DoPoll(const Actor& actor, lib::span<PollRequest> requests, u64 deadline_ns) {
  proc::Task* self = proc::sched::Current();
  usize n = requests.size();
  Slot* slots = nullptr;
  if (n > 0) {
    slots = static_cast<Slot*>(lib::Allocate(sizeof(Slot) * n, alignof(Slot)));
    if (slots == nullptr) return Errno::kENOMEM;
    for (usize i = 0; i < n; ++i) new (&slots[i]) Slot();
  }
  for (usize i = 0; i < n; ++i) {
    PollRequest& r = requests[i];
    if (r.fd < 0) continue;
    Result<lib::RefPtr<File>> f = actor.FileOf(r.fd);
    if (f.is_error()) continue;
    slots[i].file = f.release_value();
    slots[i].entry.callback = &WakePoller;
    slots[i].entry.data = self;
    if (PollQueue* q = slots[i].file->poll_queue()) q->Add(slots[i].entry);
  }
  time::Timer timer;
  if (deadline_ns != kPollNoWait && deadline_ns != kPollForever) {
    timer.Arm(deadline_ns, &WakeOnTimeout, self);
  }
  Result<usize> result = usize{0};
  for (;;) {
    self->set_state(proc::TaskState::kBlocked);
    usize ready = 0;
    for (usize i = 0; i < n; ++i) {
      PollRequest& r = requests[i];
      r.revents = 0;
      if (r.fd < 0) continue;
      if (!slots[i].file) {
        r.revents = ev::kNval;
      } else {
        r.revents = slots[i].file->Poll() & (r.events | ev::kErr | ev::kHup | ev::kNval);
      }
      if (r.revents != 0) ++ready;
    }
    if (ready > 0 || deadline_ns == kPollNoWait) {
      result = ready;
      break;
    }
    if (deadline_ns != kPollForever && time::MonotonicNs() >= deadline_ns) {
      result = usize{0};
      break;
    }
    if (self->interrupt_pending()) {
      result = Errno::kERESTARTNOHAND;
      break;
    }
    proc::sched::Block();
  }
  self->set_state(proc::TaskState::kRunnable);
  timer.Cancel();
  for (usize i = 0; i < n; ++i) {
    PollQueue::Remove(slots[i].entry);
    slots[i].~Slot();
  }
  lib::Free(slots);
  return result;
}

}  // namespace kernel::fs
