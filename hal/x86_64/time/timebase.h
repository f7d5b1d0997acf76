#pragma once
// Time on x86_64: the TSC and local APIC timer frequencies (calibrated at boot, never hanging),
// the monotonic clock source and the CMOS RTC.
#include "hal/x86_64/cpu/x86.h"

namespace hal::x86_64 {

struct TimeBase {
  u64 tsc_hz = 0;
  u64 apic_timer_hz = 0;           ///< after the /16 divider
  const char* reference = "none";  ///< what the calibration measured against
  const char* clocksource = "tsc";
  bool fallback = false;  ///< no usable reference: assumed frequencies
  int attempts = 0;       ///< reference waits measured
  bool clean = true;      ///< false: every wait was preempted; the lowest result was kept
};

/// Calibrates the TSC and APIC timer (CPUID 0x15/0x16, else the PIT, else the HPET, else a
/// logged assumption), picks the monotonic clock source and reads the RTC.
void InitTime();
const TimeBase& GetTimeBase();

/// Seconds since the Unix epoch from the CMOS RTC; 0 when there is no usable RTC.
u64 ReadRtcSeconds();

struct CivilTime {
  u32 year, month, day, hour, minute, second;
};
/// UTC calendar time of a Unix time (boot log).
CivilTime CivilFromUnix(u64 seconds);

}  // namespace hal::x86_64
