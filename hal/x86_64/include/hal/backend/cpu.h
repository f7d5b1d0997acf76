#pragma once
// x86_64 cpu backend: declarations; definitions in hal/x86_64/cpu/*.
namespace hal::x86_64 {

struct Cpu {
  static constexpr usize kKernelStackSize = 16ul * 1024;
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

}  // namespace hal::x86_64

namespace hal {
using CpuImpl = x86_64::Cpu;
}
