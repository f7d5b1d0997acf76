#pragma once
// x86_64 power: QEMU's isa-debug-exit for test verdicts, ACPI/keyboard-controller fallbacks.
namespace hal::x86_64 {

struct Power {
  [[noreturn]] static void Exit(int status);
  [[noreturn]] static void PowerOff();
  [[noreturn]] static void Reboot();
};

}  // namespace hal::x86_64

namespace hal {
using PowerImpl = x86_64::Power;
}
