#pragma once
/// What the kernel provides to the HAL: the few calls that go upwards. The kernel defines
/// these functions (kernel/hooks.cc); the backends call them from interrupt handlers, the
/// page-table code and the boot path.
#include "kernel/lib/result.h"
#include "kernel/lib/types.h"

namespace hal::hooks {

/// A zeroed 4 KiB page for a page table, or ENOMEM.
kernel::Result<kernel::PhysAddr> AllocPageTablePage();
void FreePageTablePage(kernel::PhysAddr page);

/// The periodic tick (interrupt context, interrupts off).
void OnTimerTick();

/// A byte arrived on a console port (interrupt context, interrupts off).
void OnConsoleInput(unsigned port, kernel::u8 byte);

/// A user copy faulted at `address` with x86 #PF `error_code`; true when the kernel made the
/// page accessible (the copy retries), false when the address is bad (the copy fails: EFAULT).
bool OnKernelUserFault(kernel::u64 address, kernel::u64 error_code);

/// Entered once the backend has set up the machine; never returns.
[[noreturn]] void KernelMain();

}  // namespace hal::hooks
