#pragma once
/// `struct timespec`, `struct timeval` and `struct itimerspec` as the x86_64 ABI lays them out,
/// with the checks Linux applies to them [man 3 timespec; linux timespec64_valid].
#include "kernel/lib/result.h"
#include "kernel/lib/types.h"

namespace kernel::time {

inline constexpr u64 kNsPerSec = 1'000'000'000;

struct Timespec {
  i64 sec;
  i64 nsec;
};
static_assert(sizeof(Timespec) == 16);

struct Timeval {
  i64 sec;
  i64 usec;
};
static_assert(sizeof(Timeval) == 16);

struct Itimerspec {
  Timespec interval;
  Timespec value;
};

struct Itimerval {
  Timeval interval;
  Timeval value;
};

/// A timespec is valid when sec >= 0 and 0 <= nsec < 1e9 (EINVAL otherwise).
constexpr bool IsValid(const Timespec& ts) {
  return ts.sec >= 0 && ts.nsec >= 0 && static_cast<u64>(ts.nsec) < kNsPerSec;
}
constexpr bool IsValid(const Timeval& tv) {
  return tv.sec >= 0 && tv.usec >= 0 && tv.usec < 1'000'000;
}

/// Nanoseconds, saturating at the largest u64 instead of wrapping (far-future deadlines).
constexpr u64 ToNs(const Timespec& ts) {
  u64 sec = static_cast<u64>(ts.sec);
  if (sec > (~u64{0} - static_cast<u64>(ts.nsec)) / kNsPerSec) return ~u64{0};
  return sec * kNsPerSec + static_cast<u64>(ts.nsec);
}
constexpr u64 ToNs(const Timeval& tv) { return ToNs(Timespec{tv.sec, tv.usec * 1000}); }
constexpr Timespec ToTimespec(u64 ns) {
  return Timespec{static_cast<i64>(ns / kNsPerSec), static_cast<i64>(ns % kNsPerSec)};
}
constexpr Timeval ToTimeval(u64 ns) {
  return Timeval{static_cast<i64>(ns / kNsPerSec), static_cast<i64>((ns % kNsPerSec) / 1000)};
}

/// Adds without wrapping.
constexpr u64 SaturatingAdd(u64 a, u64 b) { return a > ~u64{0} - b ? ~u64{0} : a + b; }

}  // namespace kernel::time
