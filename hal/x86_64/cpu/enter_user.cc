// Cpu::EnterUser and the syscall MSRs (DESIGN.md "The trap model"; [intel-sdm 2 SYSCALL,
// SYSRET; intel-sdm 3 §5.8.8]). The assembly halves are in cpu/entry.S.
#include <hal/cpu.h>
#include <hal/interrupts.h>

#include "hal/x86_64/cpu/gdt.h"
#include "hal/x86_64/cpu/percpu.h"
#include "hal/x86_64/cpu/user_entry.h"
#include "hal/x86_64/irq/irq.h"

extern "C" void aramid_syscall_entry();
extern "C" void aramid_syscall_compat_entry();
extern "C" void aramid_enter_user(hal::UserRegs* regs, kernel::u64 use_sysret);

namespace hal::x86_64 {
namespace {

PerCpu g_boot_cpu;

// User-controllable RFLAGS bits (Linux's FIX_EFLAGS); IF is always set, IOPL/NT/VM never.
constexpr u64 kUserFlags = kFlagCf | kFlagPf | kFlagAf | kFlagZf | kFlagSf | kFlagTf | kFlagDf |
                           kFlagOf | kFlagAc | kFlagId | kFlagRf;
// What syscall clears on entry: everything that would hurt the kernel [linux syscall_init].
constexpr u64 kSyscallMask = kFlagCf | kFlagPf | kFlagAf | kFlagZf | kFlagSf | kFlagTf | kFlagIf |
                             kFlagDf | kFlagOf | kFlagIopl | kFlagNt | kFlagRf | kFlagAc | kFlagId;

constexpr u64 kUserTop = 0x0000'8000'0000'0000ull;

bool Canonical(u64 v) {
  u64 top = v >> 47;
  return top == 0 || top == 0x1'ffff;
}

}  // namespace

PerCpu& BootCpu() { return g_boot_cpu; }

void InitUserEntry() {
  PerCpu& pc = g_boot_cpu;
  pc.self = &pc;
  // TSS.rsp0 sits at offset 4, unaligned by design [intel-sdm 3 fig. 7-11]; x86 allows it.
  pc.tss_rsp0 = reinterpret_cast<u64*>(reinterpret_cast<u8*>(&BootTss()) + 4);
  WriteMsr(kMsrGsBase, reinterpret_cast<u64>(&pc));
  WriteMsr(kMsrKernelGsBase, 0);
  WriteMsr(kMsrEfer, ReadMsr(kMsrEfer) | kEferSce);
  WriteMsr(kMsrStar, (u64{GDT_USER32_BASE} << 48) | (u64{GDT_KERNEL_CS} << 32));
  WriteMsr(kMsrLstar, reinterpret_cast<u64>(&aramid_syscall_entry));
  WriteMsr(kMsrCstar, reinterpret_cast<u64>(&aramid_syscall_compat_entry));
  WriteMsr(kMsrSfmask, kSyscallMask);
}

Trap Cpu::EnterUser(UserContext& ctx) {
  UserRegs& r = ctx.regs;
  // A return to a non-canonical rip would #GP in ring 0 (iretq) or worse (sysret on Intel);
  // report it as the #GP the user's jump would have caused on Linux.
  if (r.rip >= kUserTop) return Trap{TrapKind::kFault, vec::kGeneralProtection, 0, 0};
  // wrmsr of a non-canonical base would #GP in ring 0; the kernel's arch_prctl should never
  // let one through, but the machine must survive it if it does.
  if (!Canonical(r.fs_base) || !Canonical(r.gs_base)) {
    return Trap{TrapKind::kFault, vec::kGeneralProtection, 0, 0};
  }
  r.cs = GDT_USER_CS;
  r.ss = GDT_USER_DS;
  r.eflags = (r.eflags & kUserFlags) | kFlagIf | kFlagFixed;
  if (r.rsp >= kUserTop) r.rsp = 0;  // would #SS in ring 0 on some CPUs; fault in user instead
  // sysret is safe only when rcx/r11 already equal rip/rflags (as after a syscall) and rip is
  // canonical and below the last page [linux entry_64.S, the AMD/Intel sysret erratum].
  bool use_sysret = r.rcx == r.rip && r.r11 == r.eflags && r.rip < kUserTop - 4096 &&
                    !(r.eflags & (kFlagTf | kFlagRf));
  IrqState irq = Interrupts::SaveAndDisable();
  WriteMsr(kMsrFsBase, r.fs_base);
  WriteMsr(kMsrKernelGsBase, r.gs_base);  // becomes GS_BASE at swapgs
  aramid_enter_user(&r, use_sysret ? 1 : 0);
  PerCpu& pc = g_boot_cpu;
  r.fs_base = ReadMsr(kMsrFsBase);
  r.gs_base = ReadMsr(kMsrKernelGsBase);
  Trap t{TrapKind::kInterrupt};
  if (pc.trap_vector == TRAP_VECTOR_SYSCALL) {
    t.kind = TrapKind::kSyscall;
  } else if (pc.trap_vector == vec::kPageFault) {
    t = Trap{TrapKind::kPageFault, vec::kPageFault, pc.trap_error, pc.trap_cr2};
  } else if (pc.trap_vector < 32) {
    t = Trap{TrapKind::kFault, static_cast<u8>(pc.trap_vector), pc.trap_error, 0};
  } else {
    t.vector = static_cast<u8>(pc.trap_vector);
  }
  Interrupts::Restore(irq);
  return t;
}

}  // namespace hal::x86_64

extern "C" void aramid_user_interrupt(kernel::u64 vector) {
  hal::x86_64::HandleInterrupt(static_cast<unsigned>(vector));
}
