#pragma once
// The few ACPI facts the backend needs, read once at boot from the static tables [acpi 6.4
// §5.2]: interrupt controllers (MADT), the HPET, and how to power off (FADT + DSDT _S5).
// No AML interpreter: _S5's SLP_TYP is found by the usual byte search.
#include "hal/x86_64/cpu/x86.h"

namespace hal::x86_64 {

struct AcpiInfo {
  bool found = false;  ///< an RSDP with a valid checksum was found
  u8 revision = 0;
  u64 lapic_phys = 0xfee0'0000;
  struct IoApic {
    u32 id;
    u64 phys;
    u32 gsi_base;
  };
  IoApic ioapics[8];
  usize ioapic_count = 0;
  struct Override {
    u8 isa_irq;
    u32 gsi;
    u16 flags;  ///< MPS INTI flags: polarity bits 0-1, trigger bits 2-3
  };
  Override overrides[16];
  usize override_count = 0;
  bool madt_found = false;
  bool has_8259 = true;  ///< MADT PCAT_COMPAT (true without a MADT)
  u64 hpet_phys = 0;
  // Power-off [acpi 6.4 §4.8.3.2, §7.4.2]: PM1a/PM1b control ports with SLP_TYP(S5) | SLP_EN,
  // or on hardware-reduced ACPI (QEMU microvm's GED) the sleep control register.
  bool fadt_found = false;
  bool hw_reduced = false;
  u16 pm1a_cnt = 0, pm1b_cnt = 0;
  u8 century_reg = 0;
  bool s5_found = false;
  u8 s5_slp_typ_a = 0, s5_slp_typ_b = 0;
  u8 sleep_ctl_space = 0;  ///< GAS address space: 0 memory, 1 I/O
  u64 sleep_ctl_addr = 0;
  u16 boot_arch = 0;  ///< IAPC_BOOT_ARCH (bit 1: 8042 present)
};

/// Finds and reads the tables; uses the boot page tables' 4 GiB window, so call it before
/// InitKernelPageTables. Absent ACPI is not an error (QEMU microvm may have none).
void ParseAcpi();
const AcpiInfo& Acpi();

}  // namespace hal::x86_64
