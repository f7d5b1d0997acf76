#pragma once
// x86_64 clocks: TSC/APIC-derived monotonic time and the CMOS RTC.
namespace hal::x86_64 {

struct Clock {
  static kernel::u64 MonotonicNs();
  static kernel::u64 BootWallClockNs();
  static UserClock UserReadable();
};

}  // namespace hal::x86_64

namespace hal {
using ClockImpl = x86_64::Clock;
}
