// Ending the machine. Exit: QEMU's isa-debug-exit (status v exits QEMU with (v<<1)|1), then a
// real power-off so QEMU stops even without that device. PowerOff: ACPI S5 through the FADT's
// PM1 control ports or, on hardware-reduced ACPI (microvm's GED), the sleep control register
// [acpi 6.4 §4.8.3.7, §7.4.2]; then QEMU's known ports; then halt.
#include <hal/backend/io.h>
#include <hal/power.h>

#include "hal/x86_64/acpi/acpi.h"
#include "hal/x86_64/boot/kernel_map.h"
#include "hal/x86_64/dev/power_setup.h"

namespace hal::x86_64 {
namespace {

volatile u8* g_sleep_ctl = nullptr;

[[noreturn]] void HaltForever() {
  for (;;) asm volatile("cli; hlt");
}

}  // namespace

void InitPower() {
  const AcpiInfo& a = Acpi();
  if (a.hw_reduced && a.sleep_ctl_space == 0 && a.sleep_ctl_addr != 0) {
    g_sleep_ctl = static_cast<volatile u8*>(MapMmio(a.sleep_ctl_addr, 1));
  }
}

void Power::Exit(int status) {
  // isa-debug-exit keeps only 7 bits of the status; the full value goes first to the
  // debugcon port as a line the harness reads ("ARAMID-EXIT-STATUS n", as the test init
  // writes it on Linux). Without -debugcon the port ignores writes.
  char line[32] = "ARAMID-EXIT-STATUS ";
  usize n = 19;
  unsigned v = static_cast<unsigned>(status) & 0xff;
  char digits[4];
  usize d = 0;
  do {
    digits[d++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (d > 0) line[n++] = digits[--d];
  line[n++] = '\n';
  for (usize i = 0; i < n; ++i) Out8(0xe9, static_cast<u8>(line[i]));
  Out32(0xf4, static_cast<kernel::u32>(status));
  PowerOff();
}

void Power::PowerOff() {
  asm volatile("cli");
  const AcpiInfo& a = Acpi();
  u8 typ = a.s5_found ? a.s5_slp_typ_a : 0;
  if (a.hw_reduced) {
    // Without an _S5 object, QEMU's GED (microvm) takes SLP_TYP 5 for S5 [qemu
    // hw/acpi/generic_event_device.c].
    if (!a.s5_found) typ = 5;
    u8 value = static_cast<u8>(((typ & 7) << 2) | (1 << 5));  // SLP_TYPx | SLP_EN
    if (g_sleep_ctl != nullptr) {
      *g_sleep_ctl = value;
    } else if (a.sleep_ctl_space == 1 && a.sleep_ctl_addr != 0) {
      Out8(static_cast<u16>(a.sleep_ctl_addr), value);
    }
  }
  if (a.pm1a_cnt != 0) {
    Out16(a.pm1a_cnt, static_cast<u16>((typ << 10) | (1 << 13)));
    if (a.pm1b_cnt != 0) {
      Out16(a.pm1b_cnt, static_cast<u16>((a.s5_slp_typ_b << 10) | (1 << 13)));
    }
  }
  // QEMU without usable ACPI tables: PIIX4 and ICH9 PM1a control at 0x604 (S5 = type 0), the
  // Bochs/old-QEMU port 0xb004.
  Out16(0x604, 0x2000);
  Out16(0xb004, 0x2000);
  HaltForever();
}

void Power::Reboot() {
  Out8(0x64, 0xfe);   // keyboard controller reset line
  Out8(0xcf9, 0x06);  // PCI reset control: hard reset
  HaltForever();
}

}  // namespace hal::x86_64
