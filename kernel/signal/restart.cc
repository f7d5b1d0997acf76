#include "kernel/signal/restart.h"

#include "kernel/lib/errno.h"

namespace kernel::signal {
namespace {
constexpr u64 Neg(Errno e) { return static_cast<u64>(-static_cast<i64>(ToInt(e))); }
}  // namespace

bool IsRestartCode(u64 rax) {
  return rax == Neg(Errno::kERESTARTSYS) || rax == Neg(Errno::kERESTARTNOINTR) ||
         rax == Neg(Errno::kERESTARTNOHAND) || rax == Neg(Errno::kERESTART_RESTARTBLOCK);
}

RestartAction DecideRestart(u64 rax, bool handler_runs, bool sa_restart) {
  if (!IsRestartCode(rax)) return RestartAction::kNone;
  if (!handler_runs) {
    return rax == Neg(Errno::kERESTART_RESTARTBLOCK) ? RestartAction::kRestartBlock
                                                     : RestartAction::kRestart;
  }
  if (rax == Neg(Errno::kERESTARTNOINTR)) return RestartAction::kRestart;
  if (rax == Neg(Errno::kERESTARTSYS) && sa_restart) return RestartAction::kRestart;
  return RestartAction::kEintr;
}

void ApplyRestart(hal::UserRegs& regs, RestartAction action) {
  switch (action) {
    case RestartAction::kNone:
      return;
    case RestartAction::kEintr:
      regs.rax = Neg(Errno::kEINTR);
      return;
    case RestartAction::kRestart:
      regs.rax = regs.orig_rax;
      regs.rip -= 2;  // `syscall` is 0f 05
      return;
    case RestartAction::kRestartBlock:
      regs.rax = kNrRestartSyscall;
      regs.rip -= 2;
      return;
  }
}

}  // namespace kernel::signal
