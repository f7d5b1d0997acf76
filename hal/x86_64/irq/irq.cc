// Interrupt routing: I/O APIC [82093AA datasheet §3.2] with ACPI interrupt source overrides,
// 8259A PICs remapped and masked [8259A datasheet], or the PICs when there is no I/O APIC.
#include "hal/x86_64/irq/irq.h"

#include <hal/backend/io.h>

#include "hal/x86_64/acpi/acpi.h"
#include "hal/x86_64/boot/kernel_map.h"
#include "hal/x86_64/irq/lapic.h"
#include "kernel/debug/log.h"

namespace hal::x86_64 {
namespace {

InterruptHandler g_handlers[256];
volatile u32* g_ioapic = nullptr;
u32 g_ioapic_gsi_base = 0;
u32 g_ioapic_entries = 0;
bool g_use_pic = false;
u8 g_pic_mask[2] = {0xff, 0xff};
u64 g_unexpected = 0;

u32 IoApicRead(u32 reg) {
  g_ioapic[0] = reg;
  return g_ioapic[4];
}
void IoApicWrite(u32 reg, u32 v) {
  g_ioapic[0] = reg;
  g_ioapic[4] = v;
}

void InitPic(u8 base) {
  // ICW1..ICW4: cascade, vectors base/base+8, slave on IRQ2, 8086 mode; then mask everything.
  Out8(0x20, 0x11);
  Out8(0xa0, 0x11);
  Out8(0x21, base);
  Out8(0xa1, base + 8);
  Out8(0x21, 0x04);
  Out8(0xa1, 0x02);
  Out8(0x21, 0x01);
  Out8(0xa1, 0x01);
  Out8(0x21, 0xff);
  Out8(0xa1, 0xff);
}

}  // namespace

void InitInterruptControllers(bool force_pic) {
  const AcpiInfo& acpi = Acpi();
  // The PICs are remapped away from the exception vectors even when unused: a spurious 8259
  // interrupt must not look like a #DF.
  if (acpi.has_8259) InitPic(kIsaVectorBase);
  InitLapic();
  u64 ioapic_phys = 0;
  if (acpi.ioapic_count > 0) {
    ioapic_phys = acpi.ioapics[0].phys;
    g_ioapic_gsi_base = acpi.ioapics[0].gsi_base;
  } else if (!acpi.madt_found && LapicPresent()) {
    ioapic_phys = 0xfec0'0000;  // no MADT (microvm without ACPI): the architectural default
  }
  if (ioapic_phys != 0 && !force_pic) {
    g_ioapic = static_cast<volatile u32*>(MapMmio(ioapic_phys, 4096));
    u32 version = IoApicRead(1);
    if (version == 0xffff'ffff) {
      g_ioapic = nullptr;
    } else {
      g_ioapic_entries = ((version >> 16) & 0xff) + 1;
      for (u32 i = 0; i < g_ioapic_entries; ++i) {
        IoApicWrite(0x10 + 2 * i, 1u << 16);  // masked
        IoApicWrite(0x11 + 2 * i, 0);
      }
    }
  }
  g_use_pic = g_ioapic == nullptr;
  if (g_use_pic) {
    // The PICs reach the CPU through LINT0 in ExtINT mode (virtual wire) [intel-sdm 3 §11.5.1].
    if (LapicPresent()) LapicWrite(kLapicLvtLint0, 7u << 8);
    InitPic(kIsaVectorBase);
    g_pic_mask[0] = 0xfb;  // the cascade (IRQ2) stays open
    Out8(0x21, g_pic_mask[0]);
  }
}

const char* InterruptRouting() { return g_use_pic ? "8259" : "ioapic"; }

void SetInterruptHandler(unsigned vector, InterruptHandler handler) {
  g_handlers[vector & 0xff] = handler;
}

void EnableIsaIrq(unsigned irq, InterruptHandler handler) {
  unsigned vector = kIsaVectorBase + irq;
  g_handlers[vector] = handler;
  if (g_use_pic) {
    if (irq < 8) {
      g_pic_mask[0] &= static_cast<u8>(~(1u << irq));
      Out8(0x21, g_pic_mask[0]);
    } else {
      g_pic_mask[1] &= static_cast<u8>(~(1u << (irq - 8)));
      Out8(0xa1, g_pic_mask[1]);
    }
    return;
  }
  // ISA defaults: edge triggered, active high, GSI = IRQ, unless an override says otherwise.
  u32 gsi = irq;
  u32 flags = 0;
  const AcpiInfo& acpi = Acpi();
  for (usize i = 0; i < acpi.override_count; ++i) {
    if (acpi.overrides[i].isa_irq != irq) continue;
    gsi = acpi.overrides[i].gsi;
    u16 f = acpi.overrides[i].flags;
    if ((f & 3) == 3) flags |= 1u << 13;         // active low
    if (((f >> 2) & 3) == 3) flags |= 1u << 15;  // level triggered
  }
  u32 pin = gsi - g_ioapic_gsi_base;
  if (gsi < g_ioapic_gsi_base || pin >= g_ioapic_entries) {
    LOG_WARN("x86_64: IRQ %u (GSI %u) is not on the I/O APIC\n", irq, gsi);
    return;
  }
  IoApicWrite(0x11 + 2 * pin, LapicId() << 24);
  IoApicWrite(0x10 + 2 * pin, vector | flags);  // fixed delivery, physical destination
}

void HandleInterrupt(unsigned vector) {
  if (vector == kSpuriousVector) return;  // no EOI for spurious interrupts [intel-sdm 3 §11.9]
  bool from_pic = g_use_pic && vector >= kIsaVectorBase && vector < kIsaVectorBase + 16;
  if (g_handlers[vector] != nullptr) {
    g_handlers[vector](vector);
  } else if (g_unexpected++ < 8) {
    LOG_WARN("x86_64: unexpected interrupt vector %#x\n", vector);
  }
  if (from_pic) {
    if (vector >= kIsaVectorBase + 8) Out8(0xa0, 0x20);
    Out8(0x20, 0x20);
  } else if (LapicPresent()) {
    LapicEoi();
  }
}

}  // namespace hal::x86_64
