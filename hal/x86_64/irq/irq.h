#pragma once
// Interrupt routing and dispatch: ISA IRQs through the I/O APIC (the 8259 PICs masked), or
// through the PICs when there is no I/O APIC. ISA IRQ n always arrives at vector kIsaBase + n.
#include "hal/x86_64/cpu/x86.h"

namespace hal::x86_64 {

inline constexpr unsigned kIsaVectorBase = 0x30;
inline constexpr unsigned kTimerVector = 0xef;
inline constexpr unsigned kErrorVector = 0xfe;
inline constexpr unsigned kSpuriousVector = 0xff;

using InterruptHandler = void (*)(unsigned vector);

/// Local APIC, I/O APIC (or the PICs when there is none, or when `force_pic`: `debug=pic`).
/// Interrupts stay disabled.
void InitInterruptControllers(bool force_pic);
/// Routes ISA `irq` (edge, active high unless the MADT says otherwise) to kIsaVectorBase+irq
/// on this CPU and unmasks it; `handler` runs for it in interrupt context.
void EnableIsaIrq(unsigned irq, InterruptHandler handler);
/// Runs the handler of `vector` (from the entry stubs) and acknowledges the interrupt.
void HandleInterrupt(unsigned vector);
/// Installs a handler for a vector that needs no routing (the local APIC timer).
void SetInterruptHandler(unsigned vector, InterruptHandler handler);
/// "ioapic" or "8259" (boot log).
const char* InterruptRouting();

}  // namespace hal::x86_64
