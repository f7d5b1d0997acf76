// The kernel's side of hal/kernel_hooks.h: the few calls the HAL makes upwards.
#include <hal/kernel_hooks.h>

#include "kernel/mm/fault.h"
#include "kernel/mm/page_alloc.h"
#include "kernel/proc/scheduler.h"
#include "kernel/time/timer.h"
#include "kernel/tty/serial.h"

namespace hal::hooks {

// Page-table pages are ordinary zeroed pages, tagged so that handing a page-table page to
// FreePages (or a data page to FreePageTablePage) is caught.
kernel::Result<kernel::PhysAddr> AllocPageTablePage() {
  kernel::PhysAddr pa = TRY(kernel::mm::AllocZeroedPage());
  kernel::mm::PageOf(pa).flags |= kernel::mm::page_flags::kPageTable;
  return pa;
}

void FreePageTablePage(kernel::PhysAddr pa) {
  kernel::mm::Page& page = kernel::mm::PageOf(pa);
  if ((page.flags & kernel::mm::page_flags::kPageTable) == 0) {
    kernel::Panic("FreePageTablePage(%#lx): not a page-table page (flags %#x)", pa, page.flags);
  }
  kernel::mm::FreePage(pa);
}

void OnTimerTick() {
  kernel::time::RunExpiredTimers();
  kernel::proc::sched::OnTick();
}
void OnConsoleInput(unsigned port, kernel::u8 byte) { kernel::tty::OnConsoleInput(port, byte); }
bool OnKernelUserFault(kernel::u64 address, kernel::u64 error_code) {
  return kernel::mm::HandleKernelUserFault(address, error_code);
}

}  // namespace hal::hooks
