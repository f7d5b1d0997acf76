// Ending the machine: QEMU's isa-debug-exit for verdicts (status v exits QEMU with (v<<1)|1),
// then the architectural fallbacks.
#include <hal/backend/io.h>
#include <hal/power.h>

namespace hal::x86_64 {
namespace {
[[noreturn]] void HaltForever() {
  for (;;) asm volatile("cli; hlt");
}
}  // namespace

void Power::Exit(int status) {
  Out32(0xf4, static_cast<kernel::u32>(status));
  HaltForever();
}

void Power::PowerOff() {
  Out32(0xf4, 0);
  Out16(0x604, 0x2000);  // QEMU's PIIX4/ICH9 ACPI PM1a control: SLP_EN | S5
  HaltForever();
}

void Power::Reboot() {
  Out8(0x64, 0xfe);  // keyboard controller reset line
  HaltForever();
}

}  // namespace hal::x86_64
