#pragma once
/// One-shot kernel timers on the monotonic clock, fired from the periodic tick.
/// A Timer is embedded in whatever owns it (a sleeping task's stack frame, an itimer); the
/// owner must Cancel() it before the memory goes away.
#include "kernel/lib/intrusive_list.h"
#include "kernel/lib/types.h"

namespace kernel::time {

/// Nanoseconds since boot (hal::Clock).
u64 MonotonicNs();

class Timer {
 public:
  using Callback = void (*)(Timer& timer);

  Timer() = default;
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;
  ~Timer();

  /// Fires `callback` (in interrupt context) once MonotonicNs() >= deadline_ns. Re-arming an
  /// armed timer moves it.
  void Arm(u64 deadline_ns, Callback callback, void* data);
  /// Disarms; returns whether it was armed (false: it already fired or never was).
  bool Cancel();

  bool armed() const { return node_.linked(); }
  u64 deadline() const { return deadline_ns_; }
  void* data() const { return data_; }

 private:
  friend void RunExpiredTimers();
  u64 deadline_ns_ = 0;
  Callback callback_ = nullptr;
  void* data_ = nullptr;
  lib::ListNode node_;

 public:
  using List = lib::IntrusiveList<Timer, &Timer::node_>;
};

/// Fires every timer whose deadline has passed. Called from the tick (interrupts off).
void RunExpiredTimers();

/// The earliest armed deadline, or 0 when none (hostsim's idle uses it to jump the clock).
u64 NextDeadline();

}  // namespace kernel::time
