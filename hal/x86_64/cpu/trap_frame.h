#pragma once
// What the kernel-mode entry stubs push: the general registers, the vector and error code,
// and the hardware interrupt frame [intel-sdm 3 §6.14.2].
#include <cstddef>

#include "hal/x86_64/cpu/asm_defs.h"
#include "hal/x86_64/cpu/x86.h"

namespace hal::x86_64 {

struct TrapFrame {
  u64 r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
  u64 vector, error_code;
  u64 rip, cs, rflags, rsp, ss;
};
static_assert(offsetof(TrapFrame, vector) == TF_VECTOR);
static_assert(offsetof(TrapFrame, rip) == TF_RIP);

}  // namespace hal::x86_64
