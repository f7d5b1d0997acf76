#pragma once
// hostsim cpu backend: kernel stacks switched by the shared x86_64 routine; user mode is
// either a scripted test (sim::ScriptedUser) or a ptrace'd stub process (native mode).
namespace hal::hostsim {

struct Cpu {
  static constexpr usize kKernelStackSize = 256ul * 1024;
  static Trap EnterUser(UserContext& ctx);
  static void InitKernelContext(KernelContext& kc, void* stack, usize size, KernelEntry entry,
                                void* arg);
  static void SwitchContext(KernelContext& save, const KernelContext& next);
  static void SaveFpu(UserContext& ctx);
  static void RestoreFpu(UserContext& ctx);
  static void InitFpu(UserContext& ctx);
  static FpuFrameInfo FpuFrame();
  static void Idle();
  static usize Backtrace(u64 frames[], usize max);
};

}  // namespace hal::hostsim

namespace hal {
using CpuImpl = hostsim::Cpu;
}
