// The kernel's side of hal/kernel_hooks.h: the few calls the HAL makes upwards.
#include <hal/kernel_hooks.h>

namespace hal::hooks {

// TODO(#2): page-table pages come from the buddy allocator once kernel/mm has one.
kernel::Result<kernel::PhysAddr> AllocPageTablePage() { return kernel::Errno::kENOMEM; }
void FreePageTablePage(kernel::PhysAddr) {}

void OnTimerTick() {}
void OnConsoleInput(unsigned, kernel::u8) {}
bool OnKernelUserFault(kernel::u64, kernel::u64) { return false; }

}  // namespace hal::hooks
