#include "kernel/proc/user_loop.h"

#include "kernel/debug/log.h"
#include "kernel/debug/page_inspect.h"
#include "kernel/mm/fault.h"
#include "kernel/proc/process.h"
#include "kernel/proc/scheduler.h"
#include "kernel/signal/deliver.h"
#include "kernel/syscalls/dispatch.h"
#include "kernel/syscalls/names.h"
#include "kernel/time/process_timers.h"
#include "kernel/time/timer.h"

namespace kernel::proc {
namespace {

bool g_fault_debug = false;
bool g_pagefault_debug = false;

// Linux signal numbers and si_codes used here [man 7 signal, man 2 sigaction].
constexpr int kSigIll = 4, kSigTrap = 5, kSigBus = 7, kSigFpe = 8, kSigSegv = 11;
constexpr int kSegvMapErr = 1, kSegvAccErr = 2;
constexpr int kIllIllOpn = 2, kFpeIntDiv = 1, kFpeFltInv = 7, kBusAdrAln = 1, kBusAdrErr = 2;
constexpr int kSigKill = 9;
constexpr int kTrapTrace = 2, kSiKernel = 0x80;

void DumpFault(Task& task, const hal::Trap& trap, const FaultSignal& sig) {
  const hal::UserRegs& r = task.user_context().regs;
  LOG_ERROR("%s[%d]: fatal %s (vector %u, error %#lx, address %#lx): signal %d\n", task.name(),
            task.tid(), trap.kind == hal::TrapKind::kPageFault ? "page fault" : "fault",
            trap.vector, trap.error_code, trap.address, sig.signal);
  LOG_ERROR("  rip %016lx rsp %016lx rflags %08lx\n", r.rip, r.rsp, r.eflags);
  LOG_ERROR("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", r.rax, r.rbx, r.rcx, r.rdx);
  LOG_ERROR("  rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n", r.rsi, r.rdi, r.rbp, r.r8);
  LOG_ERROR("  r9  %016lx r10 %016lx r11 %016lx r12 %016lx\n", r.r9, r.r10, r.r11, r.r12);
  LOG_ERROR("  r13 %016lx r14 %016lx r15 %016lx fs_base %016lx\n", r.r13, r.r14, r.r15, r.fs_base);
  LOG_ERROR("  last system calls, oldest first:\n");
  task.ForEachRecentSyscall([](const SyscallRecord& s) {
    const char* name = syscalls::SyscallName(s.number);
    LOG_ERROR("    %s(%#lx, %#lx, %#lx) = %ld\n", name != nullptr ? name : "?", s.args[0],
              s.args[1], s.args[2], s.result);
  });
  if (trap.kind == hal::TrapKind::kPageFault) {
    debug::InspectAddress(task.page_table_root(), trap.address);
  }
}

void LogPageFault(Task& task, const hal::Trap& trap, const Result<void>& handled) {
  const u64 e = trap.error_code;
  LOG_INFO("%s[%d]: page fault at %#lx (%s%s%s) rip %#lx: %s\n", task.name(), task.tid(),
           trap.address,
           (e & 16)  ? "fetch"
           : (e & 2) ? "write"
                     : "read",
           (e & 1) ? ", protection" : ", not present", (e & 4) ? "" : ", from the kernel",
           task.user_context().regs.rip, handled.ok() ? "handled" : ErrnoName(handled.error()));
  if (!handled.ok()) debug::InspectAddress(task.page_table_root(), trap.address);
}

}  // namespace

void SetFaultDebug(bool enabled) { g_fault_debug = enabled; }
void SetPageFaultDebug(bool enabled) { g_pagefault_debug = enabled; }

// si_addr is the faulting instruction for #DE, #UD and x87/SIMD errors, the data address for
// page faults, and 0 where Linux reports none (#GP, #AC, int3) [linux arch/x86/kernel/traps.c].
FaultSignal ClassifyFault(const hal::Trap& trap, u64 rip, Errno page_fault_error) {
  if (trap.kind == hal::TrapKind::kPageFault) {
    // Linux: SEGV_ACCERR when a VMA covers the address but forbids the access, SEGV_MAPERR
    // when none does; SIGBUS BUS_ADRERR for a file page past EOF; OOM kills.
    switch (page_fault_error) {
      case Errno::kEACCES:
        return {kSigSegv, kSegvAccErr, trap.address};
      case Errno::kENXIO:
        return {kSigBus, kBusAdrErr, trap.address};
      case Errno::kENOMEM:
        return {kSigKill, kSiKernel, 0};
      default:
        return {kSigSegv, kSegvMapErr, trap.address};
    }
  }
  switch (trap.vector) {
    case hal::vec::kDivide:
      return {kSigFpe, kFpeIntDiv, rip};
    case hal::vec::kX87:
    case hal::vec::kSimd:
      return {kSigFpe, kFpeFltInv, rip};
    case hal::vec::kInvalidOpcode:
      return {kSigIll, kIllIllOpn, rip};
    case hal::vec::kDebug:
      return {kSigTrap, kTrapTrace, rip};
    case hal::vec::kBreakpoint:
      return {kSigTrap, kSiKernel, 0};  // int3: force_sig(SIGTRAP), SI_KERNEL on Linux
    case hal::vec::kAlignmentCheck:
      return {kSigBus, kBusAdrAln, 0};
    default:
      // #GP, #SS, #NP, #OF, #BR and the rest: SIGSEGV with SI_KERNEL, as Linux reports them.
      return {kSigSegv, kSiKernel, 0};
  }
}

void ForceFaultSignal(Task& task, const hal::Trap& trap, Errno page_fault_error) {
  FaultSignal sig = ClassifyFault(trap, task.user_context().regs.rip, page_fault_error);
  if (g_fault_debug) DumpFault(task, trap, sig);
  // Queued, not fatal: a handler may run; DeliverPending applies the default otherwise.
  u64 trapno = trap.kind == hal::TrapKind::kPageFault ? hal::vec::kPageFault : trap.vector;
  signal::QueueFault(task, sig.signal, sig.code, sig.address, trapno, trap.error_code);
}

void RunUserLoop(Task& task) {
  for (;;) {
    const u64 entered = time::MonotonicNs();
    hal::Trap trap = hal::Cpu::EnterUser(task.user_context());
    task.user_ns_ += time::MonotonicNs() - entered;
    time::CheckCpuTimers(task);
    switch (trap.kind) {
      case hal::TrapKind::kSyscall:
        syscalls::Dispatch(task);
        break;
      case hal::TrapKind::kPageFault: {
        Result<void> r = mm::HandleUserPageFault(task, trap.address, trap.error_code);
        if (g_pagefault_debug) LogPageFault(task, trap, r);
        if (r.is_error()) ForceFaultSignal(task, trap, r.error());
        break;
      }
      case hal::TrapKind::kFault:
        ForceFaultSignal(task, trap);
        break;
      case hal::TrapKind::kInterrupt:
        break;
    }
    // On the way back to user mode: give up the CPU if the time slice is spent, then take
    // the signals that arrived meanwhile (stops, exits, handler frames, restarts).
    if (sched::NeedResched()) sched::Yield();
    signal::DeliverPending(task, trap.kind == hal::TrapKind::kSyscall);
  }
}

}  // namespace kernel::proc
