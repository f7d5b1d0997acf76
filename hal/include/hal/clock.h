#pragma once
/// The clock concern: a monotonic nanosecond clock since boot, and the wall-clock time at boot.
/// On x86_64 the monotonic clock comes from the invariant TSC (or the calibrated APIC/PIT) and
/// the wall clock from the CMOS RTC; on hostsim both are virtual and advance only at trap
/// boundaries and in Idle(), so runs are deterministic.
#include <concepts>

#include <hal/types.h>

namespace hal {

template <typename T>
concept ClockBackend = requires {
  /// Nanoseconds since boot; never goes backwards.
  { T::MonotonicNs() } -> std::same_as<kernel::u64>;
  /// Nanoseconds since the Unix epoch at the moment MonotonicNs() was 0.
  { T::BootWallClockNs() } -> std::same_as<kernel::u64>;
};

}  // namespace hal

#include <hal/backend/clock.h>

namespace hal {
static_assert(ClockBackend<ClockImpl>, "the HAL backend's clock does not meet the contract");
using Clock = ClockImpl;
}  // namespace hal
