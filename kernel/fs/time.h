#pragma once
/// File timestamps: the wall clock as a Timespec.
#include <hal/clock.h>

#include "kernel/fs/abi.h"

namespace kernel::fs {

/// The current wall-clock time (CLOCK_REALTIME), as file timestamps record it.
inline Timespec CurrentTime() {
  u64 ns = hal::Clock::BootWallClockNs() + hal::Clock::MonotonicNs();
  return Timespec{static_cast<i64>(ns / 1'000'000'000), static_cast<i64>(ns % 1'000'000'000)};
}

inline bool operator<(const Timespec& a, const Timespec& b) {
  return a.sec < b.sec || (a.sec == b.sec && a.nsec < b.nsec);
}
inline bool operator<=(const Timespec& a, const Timespec& b) { return !(b < a); }

}  // namespace kernel::fs
