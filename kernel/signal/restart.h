#pragma once
/// What happens to a system call that a signal interrupted [linux arch/x86/kernel/signal.c
/// handle_signal, arch_do_signal_or_restart]. A blocking call that sees a pending signal
/// returns one of the kernel-internal codes below, and the dispatcher leaves -code in rax;
/// on the way back to user mode the signal code decides:
///
///   code                    handler runs                 no handler (ignored, stop, none)
///   ERESTARTSYS             EINTR, or restart if SA_RESTART   restart
///   ERESTARTNOINTR          restart                      restart
///   ERESTARTNOHAND          EINTR                        restart
///   ERESTART_RESTARTBLOCK   EINTR                        restart_syscall(2)
///
/// "Restart" re-executes the `syscall` instruction (rip -= 2) with rax = orig_rax, so the
/// call runs again with the same arguments, after the handler when one ran.
#include <hal/cpu.h>

#include "kernel/lib/types.h"

namespace kernel::signal {

enum class RestartAction : u8 {
  kNone,          ///< rax is not a restart code: leave the result alone
  kEintr,         ///< rax = -EINTR
  kRestart,       ///< rax = orig_rax, rip -= 2
  kRestartBlock,  ///< rax = __NR_restart_syscall, rip -= 2
};

inline constexpr u64 kNrRestartSyscall = 219;

/// The decision for a call that returned `rax` (a raw register value).
RestartAction DecideRestart(u64 rax, bool handler_runs, bool sa_restart);

/// Applies a decision to the registers.
void ApplyRestart(hal::UserRegs& regs, RestartAction action);

/// True when rax holds one of the four restart codes.
bool IsRestartCode(u64 rax);

}  // namespace kernel::signal
