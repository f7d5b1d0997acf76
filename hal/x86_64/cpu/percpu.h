#pragma once
// The per-CPU area, reached through GS in kernel mode (GS_BASE holds its address; the user's
// GS base waits in KERNEL_GS_BASE until swapgs). The entry stubs (cpu/entry.S) use the
// offsets below; static_asserts keep the two in step.
#include <cstddef>

#include <hal/cpu.h>

#include "hal/x86_64/cpu/asm_defs.h"
#include "hal/x86_64/cpu/x86.h"

namespace hal::x86_64 {

struct PerCpu {
  PerCpu* self;
  u64 kernel_rsp;            ///< stack for the syscall entry: EnterUser's frame on the task stack
  u64 user_rsp;              ///< scratch: user rsp during the syscall entry
  hal::UserRegs* user_regs;  ///< where the entry stubs save user registers
  u64 enter_rsp;             ///< EnterUser's saved kernel stack pointer, to return through
  u64 trap_vector;           ///< what brought user mode back (TRAP_VECTOR_SYSCALL or a vector)
  u64 trap_error;
  u64 trap_cr2;
  u64* tss_rsp0;  ///< &tss.rsp0, updated on every EnterUser
};

static_assert(offsetof(PerCpu, self) == PERCPU_SELF);
static_assert(offsetof(PerCpu, kernel_rsp) == PERCPU_KERNEL_RSP);
static_assert(offsetof(PerCpu, user_rsp) == PERCPU_USER_RSP);
static_assert(offsetof(PerCpu, user_regs) == PERCPU_USER_REGS);
static_assert(offsetof(PerCpu, enter_rsp) == PERCPU_ENTER_RSP);
static_assert(offsetof(PerCpu, trap_vector) == PERCPU_TRAP_VECTOR);
static_assert(offsetof(PerCpu, trap_error) == PERCPU_TRAP_ERROR);
static_assert(offsetof(PerCpu, trap_cr2) == PERCPU_TRAP_CR2);
static_assert(offsetof(PerCpu, tss_rsp0) == PERCPU_TSS_RSP0);

/// The boot CPU's area (the only CPU for now).
PerCpu& BootCpu();

}  // namespace hal::x86_64
