// The CMOS real-time clock [MC146818A datasheet; the century register from the FADT].
#include <hal/backend/io.h>

#include "hal/x86_64/acpi/acpi.h"
#include "hal/x86_64/time/timebase.h"

namespace hal::x86_64 {
namespace {

u8 Cmos(u8 reg) {
  Out8(0x70, static_cast<u8>(0x80 | reg));  // NMI stays disabled while we read
  return In8(0x71);
}

struct RtcTime {
  u8 sec, min, hour, day, mon, year, century;
  bool operator==(const RtcTime&) const = default;
};

RtcTime ReadOnce(u8 century_reg) {
  return {Cmos(0x00),
          Cmos(0x02),
          Cmos(0x04),
          Cmos(0x07),
          Cmos(0x08),
          Cmos(0x09),
          century_reg ? Cmos(century_reg) : u8{0}};
}

u8 FromBcd(u8 v) { return static_cast<u8>((v & 0x0f) + (v >> 4) * 10); }

// Days from 1970-01-01 to y-m-d (proleptic Gregorian) [Howard Hinnant, days_from_civil].
u64 DaysFromCivil(u64 y, u64 m, u64 d) {
  y -= m <= 2;
  u64 era = y / 400;
  u64 yoe = y - era * 400;
  u64 doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  u64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace

CivilTime CivilFromUnix(u64 seconds) {
  // [Howard Hinnant, civil_from_days]
  u64 z = seconds / 86400 + 719468;
  u64 era = z / 146097;
  u64 doe = z - era * 146097;
  u64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  u64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  u64 mp = (5 * doy + 2) / 153;
  u64 d = doy - (153 * mp + 2) / 5 + 1;
  u64 m = mp < 10 ? mp + 3 : mp - 9;
  u64 y = yoe + era * 400 + (m <= 2);
  u64 rem = seconds % 86400;
  return {static_cast<u32>(y),
          static_cast<u32>(m),
          static_cast<u32>(d),
          static_cast<u32>(rem / 3600),
          static_cast<u32>(rem / 60 % 60),
          static_cast<u32>(rem % 60)};
}

u64 ReadRtcSeconds() {
  u8 century_reg = Acpi().century_reg;
  // Wait (bounded) for no update in progress, then read until two reads agree.
  for (int i = 0; i < 100000 && (Cmos(0x0a) & 0x80); ++i) {
  }
  RtcTime t = ReadOnce(century_reg);
  for (int tries = 0; tries < 5; ++tries) {
    RtcTime again = ReadOnce(century_reg);
    if (again == t) break;
    t = again;
  }
  u8 status_b = Cmos(0x0b);
  if (t.sec == 0xff && t.mon == 0xff) return 0;  // no RTC
  bool pm = t.hour & 0x80;
  t.hour &= 0x7f;
  if (!(status_b & 0x04)) {  // BCD
    t.sec = FromBcd(t.sec);
    t.min = FromBcd(t.min);
    t.hour = FromBcd(t.hour);
    t.day = FromBcd(t.day);
    t.mon = FromBcd(t.mon);
    t.year = FromBcd(t.year);
    t.century = FromBcd(t.century);
  }
  if (!(status_b & 0x02)) t.hour = static_cast<u8>(t.hour % 12 + (pm ? 12 : 0));  // 12-hour
  if (t.mon < 1 || t.mon > 12 || t.day < 1 || t.day > 31 || t.hour > 23 || t.min > 59 ||
      t.sec > 60) {
    return 0;
  }
  u64 year = (t.century >= 19 && t.century <= 30) ? t.century * 100u + t.year : 2000u + t.year;
  return DaysFromCivil(year, t.mon, t.day) * 86400 + t.hour * u64{3600} + t.min * u64{60} + t.sec;
}

}  // namespace hal::x86_64
