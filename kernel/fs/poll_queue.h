#pragma once
/// PollQueue: how poll(2), select(2) and epoll(7) learn that a file's readiness changed.
/// A pollable object owns one and calls Notify(events) whenever its state changes (data
/// arrived, space freed, the other end closed). Each subscriber is an Entry with a callback:
/// poll/select wake their sleeping task, an epoll instance marks its item ready. This is
/// Linux's wait_queue_entry with a wake function, kept separate from proc::WaitQueue (which
/// only knows how to wake one sleeping task) so one object can serve both.
///
/// Never losing a wake-up: a subscriber registers before it tests readiness, so a Notify that
/// comes after the test reaches it. Notify may run in interrupt context (console input), so
/// the list is touched with interrupts off. Callbacks must not add or remove entries.
#include <hal/interrupts.h>

#include "kernel/lib/intrusive_list.h"
#include "kernel/lib/types.h"

namespace kernel::fs {

class PollQueue {
 public:
  struct Entry {
    using Callback = void (*)(Entry& entry, u32 events);
    Callback callback = nullptr;
    void* data = nullptr;
    PollQueue* queue = nullptr;  // where this entry is registered, or null
    lib::ListNode node;
  };

  PollQueue() = default;
  PollQueue(const PollQueue&) = delete;
  PollQueue& operator=(const PollQueue&) = delete;
  ~PollQueue() {
    hal::IrqGuard guard;
    while (Entry* e = entries_.PopFront()) e->queue = nullptr;
  }

  void Add(Entry& e) {
    hal::IrqGuard guard;
    if (e.queue != nullptr) return;
    e.queue = this;
    entries_.PushBack(e);
  }
  /// Unregisters `e` from whichever queue holds it (no-op if none).
  static void Remove(Entry& e) {
    hal::IrqGuard guard;
    if (e.queue == nullptr) return;
    e.queue->entries_.Remove(e);
    e.queue = nullptr;
  }
  /// Tells every subscriber that the events in `events` may have become ready.
  void Notify(u32 events) {
    hal::IrqGuard guard;
    for (Entry& e : entries_) e.callback(e, events);
  }
  bool empty() const { return entries_.empty(); }

 private:
  lib::IntrusiveList<Entry, &Entry::node> entries_;
};

}  // namespace kernel::fs
