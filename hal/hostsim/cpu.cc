// hostsim cpu: the shared context switch (with sanitizer fiber annotations), idling on the
// virtual clock, and user mode delegated to whichever UserMode the machine has.
#include <poll.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include <hal/cpu.h>
#include <hal/kernel_hooks.h>

#include "hal/common/context_switch.h"
#include "hal/hostsim/machine.h"

// AddressSanitizer must be told when the stack changes under it; these exist only when the
// ASan runtime is linked, hence weak.
extern "C" {
void __sanitizer_start_switch_fiber(void** fake_stack_save, const void* bottom, size_t size)
    __attribute__((weak));
void __sanitizer_finish_switch_fiber(void* fake_stack_save, const void** bottom_old,
                                     size_t* size_old) __attribute__((weak));
}

namespace hal::hostsim {
namespace {

// Bounds of the host thread's own stack, learnt the first time we leave it.
const void* g_thread_stack_bottom = nullptr;
size_t g_thread_stack_size = 0;

void NoteStackLeft(void* fake_stack) {
  if (__sanitizer_finish_switch_fiber == nullptr) return;
  const void* old_bottom = nullptr;
  size_t old_size = 0;
  __sanitizer_finish_switch_fiber(fake_stack, &old_bottom, &old_size);
  if (g_thread_stack_bottom == nullptr) {
    g_thread_stack_bottom = old_bottom;
    g_thread_stack_size = old_size;
  }
}

// A new context starts here (not after the switch in SwitchContext), so this is where it
// completes the sanitizer's switch before running the kernel's entry.
struct StartRecord {
  KernelEntry entry;
  void* arg;
};

void ContextStart(void* record) {
  NoteStackLeft(nullptr);
  auto* r = static_cast<StartRecord*>(record);
  r->entry(r->arg);
  std::fprintf(stderr, "hostsim: a kernel context returned from its entry\n");
  std::abort();
}

}  // namespace

void Cpu::InitKernelContext(KernelContext& kc, void* stack, usize size, KernelEntry entry,
                            void* arg) {
  // The start record lives at the top of the new stack, below which the frames begin.
  auto top = (reinterpret_cast<uintptr_t>(stack) + size - sizeof(StartRecord)) & ~uintptr_t{15};
  auto* record = reinterpret_cast<StartRecord*>(top);
  record->entry = entry;
  record->arg = arg;
  kc.rsp = common::PrepareContextStack(stack, top - reinterpret_cast<uintptr_t>(stack),
                                       &ContextStart, record);
  kc.stack_base = stack;
  kc.stack_size = size;
}

void Cpu::SwitchContext(KernelContext& save, const KernelContext& next) {
  if (__sanitizer_start_switch_fiber == nullptr) {
    aramid_context_switch(&save.rsp, next.rsp);
    return;
  }
  void* fake_stack = nullptr;
  const void* bottom = next.stack_base != nullptr ? next.stack_base : g_thread_stack_bottom;
  size_t size = next.stack_base != nullptr ? next.stack_size : g_thread_stack_size;
  __sanitizer_start_switch_fiber(&fake_stack, bottom, size);
  aramid_context_switch(&save.rsp, next.rsp);
  NoteStackLeft(fake_stack);
}

Trap Cpu::EnterUser(UserContext& ctx) {
  UserMode* mode = GetUserMode();
  if (mode == nullptr) {
    std::fprintf(stderr, "hostsim: EnterUser with no user mode (scripted or native) installed\n");
    std::abort();
  }
  return mode->Run(ctx);
}

void Cpu::SaveFpu(UserContext& ctx) {
  if (UserMode* mode = GetUserMode()) mode->SaveFpu(ctx);
}
void Cpu::RestoreFpu(UserContext& ctx) {
  if (UserMode* mode = GetUserMode()) mode->RestoreFpu(ctx);
}
void Cpu::InitFpu(UserContext& ctx) {
  for (auto& b : ctx.fpu.bytes) b = 0;
  // FXSAVE layout: FCW at 0 (0x037f), MXCSR at 24 (0x1f80) [intel-sdm 1 §10.5.1].
  ctx.fpu.bytes[0] = 0x7f;
  ctx.fpu.bytes[1] = 0x03;
  ctx.fpu.bytes[24] = 0x80;
  ctx.fpu.bytes[25] = 0x1f;
}

// The scripted and native user modes keep FXSAVE images only.
FpuFrameInfo Cpu::FpuFrame() { return {false, 0x3, 512}; }

void Cpu::Idle() {
  // Nothing is runnable: the only things that can change that are console input and time.
  // Jump the virtual clock to the next tick (AdvanceClock delivers it), unless a scripted
  // test wants control back (machine.h SetIdleHook).
  RunIdleHookOrTick();
}

usize Cpu::Backtrace(u64 frames[], usize max) {
  usize n = 0;
  auto* fp = static_cast<u64*>(__builtin_frame_address(0));
  while (fp != nullptr && n < max) {
    u64 ret = fp[1];
    if (ret == 0) break;
    frames[n++] = ret;
    auto* next = reinterpret_cast<u64*>(fp[0]);
    if (next <= fp) break;  // frames lie at rising addresses; anything else ends the chain
    fp = next;
  }
  return n;
}

}  // namespace hal::hostsim
