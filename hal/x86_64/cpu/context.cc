// Kernel-stack switching on the shared hal/common routine, idling and backtraces.
#include <hal/cpu.h>

#include "hal/common/context_switch.h"

namespace hal::x86_64 {

void Cpu::InitKernelContext(KernelContext& kc, void* stack, usize size, KernelEntry entry,
                            void* arg) {
  kc.rsp = hal::common::PrepareContextStack(stack, size, entry, arg);
  kc.stack_base = stack;
  kc.stack_size = size;
}

void Cpu::SwitchContext(KernelContext& save, const KernelContext& next) {
  aramid_context_switch(&save.rsp, next.rsp);
}

void Cpu::Idle() { asm volatile("sti; hlt; cli" ::: "memory"); }

usize Cpu::Backtrace(u64 frames[], usize max) {
  // Frame-pointer walk: every kernel function keeps rbp (-fno-omit-frame-pointer), and the
  // trap stubs add a record for the interrupted rip. Stop at anything that is not an aligned
  // kernel address, so a corrupt chain cannot fault inside a panic.
  usize n = 0;
  auto* fp = static_cast<u64*>(__builtin_frame_address(0));
  while (fp != nullptr && n < max) {
    u64 addr = reinterpret_cast<u64>(fp);
    if (addr < 0xffff'8000'0000'0000ull || (addr & 7) != 0) break;
    u64 ret = fp[1];
    if (ret == 0) break;
    frames[n++] = ret;
    auto* next = reinterpret_cast<u64*>(fp[0]);
    if (next <= fp) break;  // stacks grow down: the chain must go up
    fp = next;
  }
  return n;
}

}  // namespace hal::x86_64
