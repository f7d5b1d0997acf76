// Calibration of the TSC and the local APIC timer [intel-sdm 3 §18.7.3 (CPUID 0x15/0x16),
// §11.5.4 (APIC timer); 8254 datasheet (PIT channel 2 through port 0x61); IA-PC HPET spec].
// Every wait is bounded: a missing or broken reference ends in a logged fallback, never a hang.
#include <hal/backend/io.h>

#include "hal/x86_64/acpi/acpi.h"
#include "hal/x86_64/boot/kernel_map.h"
#include "hal/x86_64/cpu/features.h"
#include "hal/x86_64/irq/lapic.h"
#include "hal/x86_64/time/timebase.h"
#include "kernel/debug/log.h"

namespace hal::x86_64 {
namespace {

TimeBase g_time;
volatile u64* g_hpet = nullptr;
u64 g_hpet_fs = 0;  // femtoseconds per HPET tick

constexpr u64 kCalibrationMs = 10;
constexpr u64 kPitHz = 1'193'182;
constexpr u64 kMaxPolls = 5'000'000;

// The longest stretch between two polls of the current wait, in TSC ticks. Under a loaded host
// the vCPU can be descheduled mid-wait: the reference then appears to take longer (or, for a
// wrapping counter, loses whole periods) and every frequency comes out too high. A wait with a
// gap above 5% of its length is measured again.
u64 g_last_poll_tsc = 0;
u64 g_max_poll_gap = 0;

void Progress() {
  u64 now = ReadTsc();
  if (now - g_last_poll_tsc > g_max_poll_gap) g_max_poll_gap = now - g_last_poll_tsc;
  g_last_poll_tsc = now;
}

void ResetProgress() {
  g_last_poll_tsc = ReadTsc();
  g_max_poll_gap = 0;
}

// No TSC runs below 10 MHz or above 10 GHz.
bool Plausible(u64 hz) { return hz >= 10'000'000 && hz <= 10'000'000'000ull; }

// Each wait returns how long it actually waited in ns by its own reference (overshoot
// included), or 0 when the reference is missing.

// Waits kCalibrationMs on PIT channel 2 (gate via port 0x61, output on bit 5).
u64 PitWait() {
  u8 saved = In8(0x61);
  if (saved == 0xff) return 0;  // no port 0x61: no PIT
  Out8(0x61, static_cast<u8>((saved & ~0x02) | 0x01));
  Out8(0x43, 0xb0);  // channel 2, lobyte/hibyte, mode 0 (interrupt on terminal count)
  u16 count = static_cast<u16>(kPitHz * kCalibrationMs / 1000);
  Out8(0x42, static_cast<u8>(count));
  Out8(0x42, static_cast<u8>(count >> 8));
  if (In8(0x61) & 0x20) {  // OUT2 must be low right after loading the count
    Out8(0x61, saved);
    return 0;
  }
  for (u64 i = 0; i < kMaxPolls; ++i) {
    Progress();
    if (In8(0x61) & 0x20) {
      // The counter keeps running past terminal count (0 -> 0xffff ...): add what it counted
      // since, in case the vCPU was descheduled before it saw OUT2 rise.
      Out8(0x43, 0x80);  // latch channel 2
      u8 lo = In8(0x42);
      u8 hi = In8(0x42);
      u16 now = static_cast<u16>(lo | (hi << 8));
      u64 overshoot = static_cast<u16>(0 - now);
      Out8(0x61, saved);
      return (u64{count} + overshoot) * 1'000'000'000 / kPitHz;
    }
  }
  Out8(0x61, saved);
  return 0;
}

u16 PitChannel0Count() {
  Out8(0x43, 0x00);  // latch channel 0
  u8 lo = In8(0x40);
  u8 hi = In8(0x40);
  return static_cast<u16>(lo | (hi << 8));
}

// Waits on PIT channel 0 by reading its counter back: for machines whose PIT has no port 0x61
// gate (QEMU microvm). The counter runs in mode 2 from 65536 and wraps.
u64 PitChannel0Wait() {
  Out8(0x43, 0x34);  // channel 0, lobyte/hibyte, mode 2 (rate generator)
  Out8(0x40, 0);
  Out8(0x40, 0);
  u16 prev = PitChannel0Count();
  u64 elapsed = 0, target = kPitHz * kCalibrationMs / 1000;
  u64 unchanged = 0;
  u64 last_change = ReadTsc();
  for (u64 i = 0; i < kMaxPolls; ++i) {
    Progress();
    u16 now = PitChannel0Count();
    if (now == prev) {
      if (++unchanged > 100'000) return 0;  // not counting: no PIT
      continue;
    }
    // The counter ticks every 0.84 us: a long stretch without a change (seen under QEMU TCG on
    // a loaded host, where the emulated PIT lags the TSC) spoils the wait like a gap does.
    u64 t = ReadTsc();
    if (t - last_change > g_max_poll_gap) g_max_poll_gap = t - last_change;
    last_change = t;
    unchanged = 0;
    elapsed += static_cast<u16>(prev - now);
    prev = now;
    if (elapsed >= target) return elapsed * 1'000'000'000 / kPitHz;
  }
  return 0;
}

u64 HpetWait() {
  if (g_hpet == nullptr) return 0;
  u64 ticks = kCalibrationMs * 1'000'000'000'000ull / g_hpet_fs;
  u64 start = g_hpet[0xf0 / 8];
  for (u64 i = 0; i < kMaxPolls; ++i) {
    Progress();
    u64 elapsed = g_hpet[0xf0 / 8] - start;
    if (elapsed >= ticks)
      return static_cast<u64>(static_cast<unsigned __int128>(elapsed) * g_hpet_fs / 1'000'000);
  }
  return 0;
}

void InitHpet() {
  u64 phys = Acpi().hpet_phys;
  if (phys == 0) return;
  auto* regs = static_cast<volatile u64*>(MapMmio(phys, 1024));
  u64 caps = regs[0];
  u64 period_fs = caps >> 32;
  if (caps == ~0ull || period_fs == 0 || period_fs > 100'000'000) return;  // spec: <= 100 ns
  regs[0x10 / 8] = regs[0x10 / 8] | 1;  // ENABLE_CNF: the main counter runs
  g_hpet = regs;
  g_hpet_fs = period_fs;
}

// Measures TSC and APIC timer ticks across one reference wait.
enum class Outcome { kAbsent, kImplausible, kMeasured };

Outcome MeasureOnce(u64 (*wait)(), u64* tsc_hz, u64* apic_hz, bool* clean) {
  if (LapicPresent()) {
    LapicWrite(kLapicTimerDivide, 0x3);  // divide by 16
    LapicWrite(kLapicLvtTimer, 1u << 16);
    LapicWrite(kLapicTimerInitial, 0xffff'ffff);
  }
  ResetProgress();
  u64 t0 = ReadTsc();
  u64 ns = wait();
  u32 apic_left = LapicPresent() ? LapicRead(kLapicTimerCurrent) : 0;
  Progress();  // the stretch from the last poll to here counts as well
  u64 t1 = g_last_poll_tsc;
  if (LapicPresent()) LapicWrite(kLapicTimerInitial, 0);
  if (ns == 0) return Outcome::kAbsent;
  *clean = g_max_poll_gap * 20 < t1 - t0;
  LOG_DEBUG("calibrate: ref %lu ns, tsc %lu, max gap %lu, apic %u, clean %d\n", ns, t1 - t0,
            g_max_poll_gap, 0xffff'ffffu - apic_left, *clean);
  *tsc_hz = (t1 - t0) * 1'000'000'000 / ns;
  *apic_hz = LapicPresent() ? u64{0xffff'ffffu - apic_left} * 1'000'000'000 / ns : 0;
  return Plausible(*tsc_hz) ? Outcome::kMeasured : Outcome::kImplausible;
}

// Up to 10 waits: the first one without a long gap wins as it is; when every one was
// preempted, the lowest (preemption only ever makes the frequencies look higher). An absent
// reference ends it; an implausible result (a wrapped counter lost whole periods) is retried.
bool Measure(u64 (*wait)(), u64* tsc_hz, u64* apic_hz) {
  bool have = false;
  for (int attempt = 0; attempt < 10; ++attempt) {
    u64 tsc = 0, apic = 0;
    bool clean = false;
    Outcome o = MeasureOnce(wait, &tsc, &apic, &clean);
    if (o == Outcome::kAbsent) return have;
    g_time.attempts = attempt + 1;
    if (o == Outcome::kImplausible) continue;
    g_time.clean = clean;
    if (clean) {
      *tsc_hz = tsc;
      *apic_hz = apic;
      return true;
    }
    if (!have || tsc < *tsc_hz) {
      *tsc_hz = tsc;
      *apic_hz = apic;
      have = true;
    }
  }
  return have;
}

// CPUID 0x15 (TSC/crystal ratio and crystal Hz) or 0x16 (base MHz).
u64 CpuidTscHz() {
  const CpuFeatures& f = Features();
  if (f.max_leaf >= 0x15) {
    CpuidResult r = Cpuid(0x15);
    if (r.eax != 0 && r.ebx != 0 && r.ecx != 0) return u64{r.ecx} * r.ebx / r.eax;
  }
  if (f.max_leaf >= 0x16) {
    u32 mhz = Cpuid(0x16).eax & 0xffff;
    if (mhz != 0) return u64{mhz} * 1'000'000;
  }
  return 0;
}

constexpr u64 kAssumedApicHz = 1'000'000'000 / 16;

// Measures the TSC across kCalibrationMs of APIC timer counting at kAssumedApicHz.
bool ApicAssumedWait(u64* tsc_hz) {
  g_time.attempts = 1;
  LapicWrite(kLapicTimerDivide, 0x3);
  LapicWrite(kLapicLvtTimer, 1u << 16);
  LapicWrite(kLapicTimerInitial, 0xffff'ffff);
  u64 t0 = ReadTsc();
  u32 target = static_cast<u32>(kAssumedApicHz * kCalibrationMs / 1000);
  u32 elapsed = 0;
  for (u64 i = 0; i < kMaxPolls && elapsed < target; ++i) {
    elapsed = 0xffff'ffffu - LapicRead(kLapicTimerCurrent);
  }
  u64 t1 = ReadTsc();
  LapicWrite(kLapicTimerInitial, 0);
  if (elapsed < target) return false;
  // By the count actually elapsed, so a descheduled vCPU does not skew it.
  *tsc_hz = (t1 - t0) * kAssumedApicHz / elapsed;
  return Plausible(*tsc_hz);
}

u64 g_wait_tsc_ticks = 0;
u64 TscWait() {
  u64 start = ReadTsc();
  while (ReadTsc() - start < g_wait_tsc_ticks) Pause();
  return kCalibrationMs * 1'000'000;
}

}  // namespace

const TimeBase& GetTimeBase() { return g_time; }

u64 HpetCounterFs(u64* counter);  // clock.cc
u64 HpetCounterFs(u64* counter) {
  if (g_hpet == nullptr) return 0;
  *counter = g_hpet[0xf0 / 8];
  return g_hpet_fs;
}

void InitTime() {
  InitHpet();
  u64 tsc = 0, apic = 0;
  // The HPET first: its 64-bit counter gives the true elapsed time even when the vCPU is
  // descheduled mid-wait (a loaded host under TCG).
  if (Measure(HpetWait, &tsc, &apic)) {
    g_time.reference = "hpet";
  } else if (Measure(PitWait, &tsc, &apic)) {
    g_time.reference = "pit";
  } else if (Measure(PitChannel0Wait, &tsc, &apic)) {
    g_time.reference = "pit channel 0";
  } else if (u64 hz = CpuidTscHz(); hz != 0) {
    g_wait_tsc_ticks = hz * kCalibrationMs / 1000;
    Measure(TscWait, &tsc, &apic);
    tsc = hz;
    g_time.attempts = 1;
    g_time.reference = "cpuid";
  } else if (LapicPresent() && ApicAssumedWait(&tsc)) {
    // QEMU's local APIC timer counts at 1 GHz before the divider [qemu hw/intc/apic.c]; real
    // machines always have one of the references above.
    apic = kAssumedApicHz;
    g_time.fallback = true;
    g_time.reference = "the APIC timer, assumed 1 GHz";
    LOG_WARN(
        "x86_64: no PIT, HPET or CPUID frequency: TSC measured against an assumed 1 GHz "
        "APIC timer\n");
  } else {
    tsc = 1'000'000'000;
    apic = kAssumedApicHz;
    g_time.fallback = true;
    g_time.reference = "nothing (assumed 1 GHz)";
    LOG_WARN("x86_64: no time reference at all: assuming a 1 GHz TSC and APIC timer\n");
  }
  if (apic == 0 || apic > 10'000'000'000ull) apic = 1'000'000'000 / 16;
  g_time.tsc_hz = tsc;
  g_time.apic_timer_hz = apic;
}

}  // namespace hal::x86_64
