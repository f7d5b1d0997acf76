#pragma once
// x86_64 interrupt masking (RFLAGS.IF) and the periodic tick (local APIC timer).
namespace hal::x86_64 {

struct Interrupts {
  static void Disable() { asm volatile("cli" ::: "memory"); }
  static void Enable() { asm volatile("sti" ::: "memory"); }
  static bool Enabled() {
    kernel::u64 flags;
    asm volatile("pushfq; popq %0" : "=r"(flags)::"memory");
    return (flags & (1u << 9)) != 0;
  }
  static IrqState SaveAndDisable() {
    kernel::u64 flags;
    asm volatile("pushfq; popq %0; cli" : "=r"(flags)::"memory");
    return IrqState{flags};
  }
  static void Restore(IrqState s) {
    if (s.value & (1u << 9)) asm volatile("sti" ::: "memory");
  }
  static void StartTick(kernel::u32 hz);
};

}  // namespace hal::x86_64

namespace hal {
using InterruptsImpl = x86_64::Interrupts;
}
