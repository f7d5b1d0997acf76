// Exceptions and interrupts taken in kernel mode. An interrupt runs its handler; a fault on a
// user address inside a user-copy routine is resolved or fixed up; anything else is a kernel
// bug and panics with the full machine state.
#include <hal/kernel_hooks.h>
#include <hal/mmu.h>

#include "hal/x86_64/cpu/extable.h"
#include "hal/x86_64/cpu/trap_frame.h"
#include "hal/x86_64/debug/panic_dump.h"
#include "hal/x86_64/irq/irq.h"

extern "C" const hal::x86_64::ExTableEntry aramid_ex_table_start[], aramid_ex_table_end[];

namespace hal::x86_64 {

u64 FindFixup(u64 rip) {
  for (const ExTableEntry* e = aramid_ex_table_start; e < aramid_ex_table_end; ++e) {
    if (e->insn == rip) return e->fixup;
  }
  return 0;
}

}  // namespace hal::x86_64

using hal::x86_64::TrapFrame;

extern "C" void aramid_kernel_trap(TrapFrame* f) {
  using namespace hal::x86_64;
  if (f->vector >= 32) {
    HandleInterrupt(static_cast<unsigned>(f->vector));
    return;
  }
  if (f->vector == 1) {
    // The kernel sets no breakpoints, so a kernel-mode #DB is a single-step trap that user
    // code's RFLAGS.TF carried in (e.g. the instruction after `syscall` with TF set, before
    // SFMASK's TF clear took effect). Drop it: the user's TF comes back with its own rflags.
    f->rflags &= ~kFlagTf;
    return;
  }
  u64 fixup = FindFixup(f->rip);
  if (fixup != 0) {
    if (f->vector == 14) {
      u64 cr2 = ReadCr2();
      if (cr2 < hal::kUserEnd) {
        // A user copy faults in process context: the kernel may sleep to resolve it (page-in,
        // a lock), so interrupts are on again if the copy ran with them on, as Linux does.
        if (f->rflags & kFlagIf) asm volatile("sti" ::: "memory");
        bool resolved = hal::hooks::OnKernelUserFault(cr2, f->error_code);
        asm volatile("cli" ::: "memory");
        if (resolved) return;
      }
    }
    if (f->vector == 14 || f->vector == 13) {
      f->rip = fixup;  // the copy stops here and reports how far it got
      return;
    }
  }
  PanicWithFrame(*f, "exception in kernel mode");
}

extern "C" [[noreturn]] void aramid_paranoid_trap(TrapFrame* f) {
  hal::x86_64::PanicWithFrame(*f, "exception on an IST stack");
}

extern "C" [[noreturn]] void aramid_compat_syscall() {
  kernel::Panic("x86_64: 32-bit syscall entry reached (no compat segment is installed)");
}
