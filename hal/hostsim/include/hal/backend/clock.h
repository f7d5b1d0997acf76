#pragma once
// hostsim clock: virtual, deterministic, advanced by the machine at trap boundaries.
namespace hal::hostsim {

struct Clock {
  static kernel::u64 MonotonicNs();
  static kernel::u64 BootWallClockNs();
  static UserClock UserReadable();
};

}  // namespace hal::hostsim

namespace hal {
using ClockImpl = hostsim::Clock;
}
