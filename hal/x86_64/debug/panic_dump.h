#pragma once
// The machine state of a kernel-mode exception, printed before the panic.
#include "hal/x86_64/cpu/trap_frame.h"

namespace hal::x86_64 {

/// Prints the exception, every register, CR0/CR2/CR3/CR4, the bytes at rip and then panics
/// (which adds the symbolized backtrace and stops the machine).
[[noreturn]] void PanicWithFrame(const TrapFrame& f, const char* what);

/// The name of an exception vector ("page fault", ...), or "interrupt".
const char* VectorName(u64 vector);

}  // namespace hal::x86_64
