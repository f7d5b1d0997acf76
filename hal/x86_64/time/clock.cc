// Clock and the periodic tick. The monotonic clock is the TSC when it is invariant or a
// hypervisor runs us, else the HPET main counter, else the TSC anyway (logged): under QEMU TCG
// the TSC never stops.
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
u32 g_tsc_mult = 0;  // ns = delta * mult >> shift, the pair the vDSO uses too
u32 g_tsc_shift = 0;
u64 g_boot_wall_ns = 0;
u64 g_last_ns = 0;

void OnTimer(unsigned) { hal::hooks::OnTimerTick(); }

}  // namespace

void InitClock() {
  const TimeBase& tb = GetTimeBase();
  g_tsc0 = ReadTsc();
  // The largest shift (most precision) whose multiplier fits 32 bits: 32 for a TSC of 1 GHz
  // or more; slower counters need less.
  g_tsc_shift = 32;
  while (g_tsc_shift > 0 && (1'000'000'000ull << g_tsc_shift) / tb.tsc_hz > 0xffff'ffffull) {
    --g_tsc_shift;
  }
  g_tsc_mult = static_cast<u32>((1'000'000'000ull << g_tsc_shift) / tb.tsc_hz);
  u64 counter = 0;
  g_hpet_fs = HpetCounterFs(&counter);
  // The HPET only where the TSC may change rate: bare metal without an invariant TSC. A
  // hypervisor presents a constant-rate TSC (QEMU's TCG reads the host's), and an HPET read
  // there is an MMIO exit costing microseconds; the kernel reads the clock twice per trap.
  g_use_hpet = !Features().tsc_invariant && !Features().hypervisor && g_hpet_fs != 0;
  g_hpet0 = counter;
  u64 rtc = ReadRtcSeconds();
  g_boot_wall_ns = rtc * 1'000'000'000ull;
}

const char* ClockSourceName() {
  if (g_use_hpet) return "hpet";
  if (Features().tsc_invariant) return "tsc (invariant)";
  return Features().hypervisor ? "tsc (hypervisor)" : "tsc (not invariant)";
}

kernel::u64 Clock::MonotonicNs() {
  u64 ns;
  if (g_use_hpet) {
    u64 counter = 0;
    HpetCounterFs(&counter);
    ns =
        static_cast<u64>(static_cast<unsigned __int128>(counter - g_hpet0) * g_hpet_fs / 1'000'000);
  } else if (g_tsc_mult != 0) {
    ns = static_cast<u64>((static_cast<unsigned __int128>(ReadTsc() - g_tsc0) * g_tsc_mult) >>
                          g_tsc_shift);
  } else {
    return 0;
  }
  // Never backwards, whatever the source does (a TSC that is not invariant).
  if (ns < g_last_ns) return g_last_ns;
  g_last_ns = ns;
  return ns;
}

kernel::u64 Clock::BootWallClockNs() { return g_boot_wall_ns; }

// User mode reads the same TSC with the same scale whenever the kernel's clock is the TSC.
// The kernel's clamp against going backwards has no user-mode twin; one CPU whose TSC ticks
// on (QEMU's always does) never needs it.
UserClock Clock::UserReadable() {
  if (g_use_hpet || g_tsc_mult == 0) return {};
  return {true, g_tsc0, 0, g_tsc_mult, g_tsc_shift};
}

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
