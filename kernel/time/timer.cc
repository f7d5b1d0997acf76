#include "kernel/time/timer.h"

#include <hal/clock.h>
#include <hal/interrupts.h>

namespace kernel::time {
namespace {
// Sorted by deadline, earliest first. Interrupts off while touched.
Timer::List g_timers;
}  // namespace

u64 MonotonicNs() { return hal::Clock::MonotonicNs(); }

Timer::~Timer() { Cancel(); }

void Timer::Arm(u64 deadline_ns, Callback callback, void* data) {
  hal::IrqGuard guard;
  if (node_.linked()) g_timers.Remove(*this);
  deadline_ns_ = deadline_ns;
  callback_ = callback;
  data_ = data;
  auto it = g_timers.begin();
  while (it != g_timers.end() && it->deadline_ns_ <= deadline_ns) ++it;
  g_timers.InsertBefore(it, *this);
}

bool Timer::Cancel() {
  hal::IrqGuard guard;
  if (!node_.linked()) return false;
  g_timers.Remove(*this);
  return true;
}

void RunExpiredTimers() {
  hal::IrqGuard guard;
  u64 now = MonotonicNs();
  while (Timer* t = g_timers.Front()) {
    if (t->deadline_ns_ > now) break;
    g_timers.Remove(*t);
    t->callback_(*t);
  }
}

u64 NextDeadline() {
  hal::IrqGuard guard;
  Timer* t = g_timers.Front();
  return t != nullptr ? t->deadline() : 0;
}

}  // namespace kernel::time
