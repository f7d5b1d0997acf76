#pragma once
// Privileged-instruction wrappers for the x86_64 backend: CPUID, MSRs, control registers, TSC.
// Nothing here is visible to kernel/.
#include "kernel/lib/types.h"

namespace hal::x86_64 {

using kernel::u16;
using kernel::u32;
using kernel::u64;
using kernel::u8;
using kernel::usize;

// MSR numbers [intel-sdm 4 table 2-2].
inline constexpr u32 kMsrApicBase = 0x1b;
inline constexpr u32 kMsrEfer = 0xc000'0080;
inline constexpr u32 kMsrStar = 0xc000'0081;
inline constexpr u32 kMsrLstar = 0xc000'0082;
inline constexpr u32 kMsrCstar = 0xc000'0083;
inline constexpr u32 kMsrSfmask = 0xc000'0084;
inline constexpr u32 kMsrFsBase = 0xc000'0100;
inline constexpr u32 kMsrGsBase = 0xc000'0101;
inline constexpr u32 kMsrKernelGsBase = 0xc000'0102;

inline constexpr u64 kEferSce = 1u << 0;
inline constexpr u64 kEferNxe = 1u << 11;

// RFLAGS bits [intel-sdm 1 §3.4.3].
inline constexpr u64 kFlagCf = 1u << 0, kFlagPf = 1u << 2, kFlagAf = 1u << 4, kFlagZf = 1u << 6,
                     kFlagSf = 1u << 7, kFlagTf = 1u << 8, kFlagIf = 1u << 9, kFlagDf = 1u << 10,
                     kFlagOf = 1u << 11, kFlagIopl = 3u << 12, kFlagNt = 1u << 14,
                     kFlagRf = 1u << 16, kFlagVm = 1u << 17, kFlagAc = 1u << 18, kFlagId = 1u << 21,
                     kFlagFixed = 1u << 1;

struct CpuidResult {
  u32 eax, ebx, ecx, edx;
};

inline CpuidResult Cpuid(u32 leaf, u32 subleaf = 0) {
  CpuidResult r;
  asm volatile("cpuid"
               : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
               : "a"(leaf), "c"(subleaf));
  return r;
}

inline u64 ReadMsr(u32 msr) {
  u32 lo, hi;
  asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
  return (u64{hi} << 32) | lo;
}

inline void WriteMsr(u32 msr, u64 v) {
  asm volatile("wrmsr" ::"c"(msr), "a"(static_cast<u32>(v)), "d"(static_cast<u32>(v >> 32))
               : "memory");
}

#define ARAMID_CR_ACCESSORS(n)                    \
  inline u64 ReadCr##n() {                        \
    u64 v;                                        \
    asm volatile("mov %%cr" #n ", %0" : "=r"(v)); \
    return v;                                     \
  }                                               \
  inline void WriteCr##n(u64 v) { asm volatile("mov %0, %%cr" #n ::"r"(v) : "memory"); }
ARAMID_CR_ACCESSORS(0)
ARAMID_CR_ACCESSORS(2)
ARAMID_CR_ACCESSORS(3)
ARAMID_CR_ACCESSORS(4)
#undef ARAMID_CR_ACCESSORS

inline u64 ReadTsc() {
  u32 lo, hi;
  asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return (u64{hi} << 32) | lo;
}

inline void Pause() { asm volatile("pause"); }

}  // namespace hal::x86_64
