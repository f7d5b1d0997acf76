// Clock and the periodic tick. The monotonic clock is the TSC when it is invariant, else the
// HPET main counter, else the TSC anyway (logged): under QEMU TCG the TSC never stops.
#include <hal/clock.h>
#include <hal/interrupts.h>
#include <hal/kernel_hooks.h>

#include "hal/x86_64/cpu/features.h"
#include "hal/x86_64/irq/irq.h"
#include "hal/x86_64/irq/lapic.h"
#include "hal/x86_64/time/timebase.h"
#include "kernel/debug/log.h"

namespace hal::x86_64 {

u64 HpetCounterFs(u64* counter);

namespace {

bool g_use_hpet = false;
u64 g_tsc0 = 0;
u64 g_hpet0 = 0;
u64 g_hpet_fs = 0;
u64 g_tsc_mult = 0;  // ns = delta * mult >> 32
u64 g_boot_wall_ns = 0;
u64 g_last_ns = 0;

void OnTimer(unsigned) { hal::hooks::OnTimerTick(); }

}  // namespace

void InitClock() {
  const TimeBase& tb = GetTimeBase();
  g_tsc0 = ReadTsc();
  g_tsc_mult = (1'000'000'000ull << 32) / tb.tsc_hz;
  u64 counter = 0;
  g_hpet_fs = HpetCounterFs(&counter);
  g_use_hpet = !Features().tsc_invariant && g_hpet_fs != 0;
  g_hpet0 = counter;
  u64 rtc = ReadRtcSeconds();
  g_boot_wall_ns = rtc * 1'000'000'000ull;
}

const char* ClockSourceName() {
  if (g_use_hpet) return "hpet";
  return Features().tsc_invariant ? "tsc (invariant)" : "tsc (not invariant)";
}

kernel::u64 Clock::MonotonicNs() {
  u64 ns;
  if (g_use_hpet) {
    u64 counter = 0;
    HpetCounterFs(&counter);
    ns = static_cast<u64>(static_cast<unsigned __int128>(counter - g_hpet0) * g_hpet_fs /
                          1'000'000);
  } else if (g_tsc_mult != 0) {
    ns = static_cast<u64>((static_cast<unsigned __int128>(ReadTsc() - g_tsc0) * g_tsc_mult) >> 32);
  } else {
    return 0;
  }
  // Never backwards, whatever the source does (a TSC that is not invariant).
  if (ns < g_last_ns) return g_last_ns;
  g_last_ns = ns;
  return ns;
}

kernel::u64 Clock::BootWallClockNs() { return g_boot_wall_ns; }

void Interrupts::StartTick(kernel::u32 hz) {
  if (hz == 0) return;
  if (!LapicPresent()) {
    // TODO(#3): PIT channel 0 ticks for machines without a local APIC.
    LOG_WARN("x86_64: no local APIC: no periodic tick\n");
    return;
  }
  SetInterruptHandler(kTimerVector, OnTimer);
  u64 count = GetTimeBase().apic_timer_hz / hz;
  if (count == 0) count = 1;
  if (count > 0xffff'ffffu) count = 0xffff'ffffu;
  LapicWrite(kLapicTimerDivide, 0x3);
  LapicWrite(kLapicLvtTimer, kTimerVector | (1u << 17));  // periodic
  LapicWrite(kLapicTimerInitial, static_cast<u32>(count));
}

}  // namespace hal::x86_64
