#pragma once
/// The clock concern: a monotonic nanosecond clock since boot, and the wall-clock time at boot.
/// On x86_64 the monotonic clock comes from the invariant TSC (or the calibrated APIC/PIT) and
/// the wall clock from the CMOS RTC; on hostsim both are virtual and advance only at trap
/// boundaries and in Idle(), so runs are deterministic.
#include <concepts>

#include <hal/types.h>

namespace hal {

/// How user mode can compute MonotonicNs() itself (the vDSO's fast path): when `tsc` is true,
/// MonotonicNs() == mono_base_ns + (((rdtsc - tsc_base) * mult) >> shift) with a 128-bit
/// product, exactly the kernel's own arithmetic. When false (a virtual clock, as on hostsim),
/// user mode must ask the kernel.
struct UserClock {
  bool tsc = false;
  kernel::u64 tsc_base = 0;
  kernel::u64 mono_base_ns = 0;
  kernel::u32 mult = 0;
  kernel::u32 shift = 0;
};

template <typename T>
concept ClockBackend = requires {
  /// Nanoseconds since boot; never goes backwards.
  { T::MonotonicNs() } -> std::same_as<kernel::u64>;
  /// Nanoseconds since the Unix epoch at the moment MonotonicNs() was 0.
  { T::BootWallClockNs() } -> std::same_as<kernel::u64>;
  /// Whether and how user mode may read the monotonic clock without a system call.
  { T::UserReadable() } -> std::same_as<UserClock>;
};

}  // namespace hal

#include <hal/backend/clock.h>

namespace hal {
static_assert(ClockBackend<ClockImpl>, "the HAL backend's clock does not meet the contract");
using Clock = ClockImpl;
}  // namespace hal
