#include "hal/x86_64/irq/lapic.h"

#include "hal/x86_64/acpi/acpi.h"
#include "hal/x86_64/boot/kernel_map.h"
#include "hal/x86_64/cpu/features.h"
#include "hal/x86_64/irq/irq.h"

namespace hal::x86_64 {
namespace {

bool g_present = false;
bool g_x2 = false;
volatile u32* g_mmio = nullptr;

}  // namespace

bool LapicPresent() { return g_present; }
bool LapicX2() { return g_x2; }

u32 LapicRead(u32 reg) {
  if (g_x2) return static_cast<u32>(ReadMsr(0x800 + (reg >> 4)));
  return g_mmio[reg / 4];
}

void LapicWrite(u32 reg, u32 value) {
  if (g_x2) {
    WriteMsr(0x800 + (reg >> 4), value);
  } else {
    g_mmio[reg / 4] = value;
  }
}

void LapicEoi() { LapicWrite(kLapicEoi, 0); }

u32 LapicId() { return g_x2 ? LapicRead(kLapicId) : LapicRead(kLapicId) >> 24; }

bool InitLapic() {
  const CpuFeatures& f = Features();
  if (!f.apic) return false;
  u64 base = ReadMsr(kMsrApicBase);
  base |= 1u << 11;  // global enable
  if (f.x2apic) base |= 1u << 10;
  WriteMsr(kMsrApicBase, base);
  g_x2 = f.x2apic;
  if (!g_x2) {
    u64 phys = base & ~0xfffull & ((1ull << 52) - 1);
    g_mmio = static_cast<volatile u32*>(MapMmio(phys, 4096));
  }
  g_present = true;
  LapicWrite(kLapicTpr, 0);
  LapicWrite(kLapicLvtTimer, 1u << 16);   // masked until StartTick
  LapicWrite(kLapicLvtLint0, 1u << 16);   // the 8259 stays out of the way
  LapicWrite(kLapicLvtLint1, (4u << 8));  // NMI delivery
  LapicWrite(kLapicLvtError, kErrorVector);
  LapicWrite(kLapicEsr, 0);
  LapicWrite(kLapicSvr, (1u << 8) | kSpuriousVector);  // software enable
  LapicEoi();
  return true;
}

}  // namespace hal::x86_64
