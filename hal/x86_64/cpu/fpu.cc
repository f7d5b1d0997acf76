// x87/SSE/AVX state: enabled at boot, saved and restored per task with xsave (fxsave when the
// CPU has no XSAVE) [intel-sdm 1 §13]. The kernel itself never touches vector registers
// (-mgeneral-regs-only), so user state stays live in the registers while the kernel runs.
#include "hal/x86_64/cpu/fpu.h"

#include <hal/cpu.h>

#include "hal/x86_64/cpu/features.h"
#include "kernel/lib/result.h"

namespace hal::x86_64 {
namespace {

bool g_xsave = false;
u64 g_xcr0 = 0;
u32 g_size = 512;

constexpr u64 kXcrX87 = 1, kXcrSse = 2, kXcrAvx = 4, kXcrAvx512 = 0xe0;

void XSetBv(u32 reg, u64 v) {
  asm volatile("xsetbv" ::"c"(reg), "a"(static_cast<u32>(v)), "d"(static_cast<u32>(v >> 32)));
}

}  // namespace

void InitFpuHardware() {
  const CpuFeatures& f = Features();
  u64 cr0 = ReadCr0();
  cr0 &= ~((1ull << 2) | (1ull << 3));  // EM, TS off: FPU instructions run
  cr0 |= (1ull << 1) | (1ull << 5);     // MP, NE: native x87 error reporting
  WriteCr0(cr0);
  u64 cr4 = ReadCr4() | (1ull << 9) | (1ull << 10);  // OSFXSR, OSXMMEXCPT
  if (f.xsave) cr4 |= 1ull << 18;                    // OSXSAVE
  WriteCr4(cr4);
  asm volatile("fninit");
  if (f.xsave) {
    u64 supported = Cpuid(0xd, 0).eax | (u64{Cpuid(0xd, 0).edx} << 32);
    u64 want = kXcrX87 | kXcrSse;
    if (f.avx && (supported & kXcrAvx)) want |= kXcrAvx;
    if (f.avx512 && (supported & kXcrAvx512) == kXcrAvx512) want |= kXcrAvx512;
    XSetBv(0, want);
    u32 size = Cpuid(0xd, 0).ebx;  // bytes for the components enabled in XCR0
    if (size > kFpuStateSize && (want & kXcrAvx512)) {
      want &= ~kXcrAvx512;
      XSetBv(0, want);
      size = Cpuid(0xd, 0).ebx;
    }
    g_xsave = true;
    g_xcr0 = want;
    g_size = size;
  }
  u32 mxcsr = 0x1f80;
  asm volatile("ldmxcsr %0" ::"m"(mxcsr));
}

FpuInfo GetFpuInfo() { return {g_xsave, g_xcr0, g_size}; }

FpuFrameInfo Cpu::FpuFrame() { return {g_xsave, g_xsave ? g_xcr0 : 0x3, g_size}; }

void Cpu::SaveFpu(UserContext& ctx) {
  if (g_xsave) {
    asm volatile("xsave64 %0" : "+m"(ctx.fpu) : "a"(~0u), "d"(~0u) : "memory");
  } else {
    asm volatile("fxsave64 %0" : "=m"(ctx.fpu)::"memory");
  }
}

void Cpu::RestoreFpu(UserContext& ctx) {
  if (g_xsave) {
    asm volatile("xrstor64 %0" ::"m"(ctx.fpu), "a"(~0u), "d"(~0u) : "memory");
  } else {
    asm volatile("fxrstor64 %0" ::"m"(ctx.fpu) : "memory");
  }
}

void Cpu::InitFpu(UserContext& ctx) {
  // The legacy area with FCW 0x37f and MXCSR 0x1f80 and an XSAVE header with XSTATE_BV = 0:
  // xrstor then loads every component's initial state [intel-sdm 1 §13.8].
  __builtin_memset(ctx.fpu.bytes, 0, sizeof(ctx.fpu.bytes));
  ctx.fpu.bytes[0] = 0x7f;
  ctx.fpu.bytes[1] = 0x03;
  u32 mxcsr = 0x1f80;
  __builtin_memcpy(ctx.fpu.bytes + 24, &mxcsr, 4);
  u32 mxcsr_mask = 0xffff;
  __builtin_memcpy(ctx.fpu.bytes + 28, &mxcsr_mask, 4);
}

}  // namespace hal::x86_64
