#pragma once
// The shared kernel-stack switch (context_switch.S) and how a new context's stack is laid out.
#include "kernel/lib/types.h"

extern "C" void aramid_context_switch(kernel::u64* save_rsp, kernel::u64 next_rsp);
extern "C" void aramid_context_trampoline();

namespace hal::common {

/// Builds the initial stack of a context that, when switched to, calls entry(arg).
/// Returns the stack pointer to store in KernelContext::rsp.
inline kernel::u64 PrepareContextStack(void* stack, kernel::usize size, void (*entry)(void*),
                                       void* arg) {
  auto top = (reinterpret_cast<kernel::u64>(stack) + size) & ~kernel::u64{15};
  auto* sp = reinterpret_cast<kernel::u64*>(top);
  // After the six pops and the ret, rsp == top (16-byte aligned), so the trampoline's call
  // enters `entry` with rsp == 8 (mod 16) as the System V ABI requires.
  *--sp = reinterpret_cast<kernel::u64>(&aramid_context_trampoline);
  *--sp = 0;                                     // rbp
  *--sp = 0;                                     // rbx
  *--sp = reinterpret_cast<kernel::u64>(entry);  // r12
  *--sp = reinterpret_cast<kernel::u64>(arg);    // r13
  *--sp = 0;                                     // r14
  *--sp = 0;                                     // r15
  return reinterpret_cast<kernel::u64>(sp);
}

}  // namespace hal::common
