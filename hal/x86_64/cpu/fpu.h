#pragma once
// FPU/SSE/AVX enabling; Cpu::SaveFpu/RestoreFpu/InitFpu live in fpu.cc.
#include "hal/x86_64/cpu/x86.h"

namespace hal::x86_64 {

/// CR0/CR4/XCR0 for x87, SSE and AVX (AVX-512 when its state fits hal::FpuState).
void InitFpuHardware();

struct FpuInfo {
  bool xsave;
  u64 xcr0;
  u32 state_size;
};
FpuInfo GetFpuInfo();

}  // namespace hal::x86_64
