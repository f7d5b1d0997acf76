// CPUID feature detection and the protection bits in CR0/CR4/EFER.
#include "hal/x86_64/cpu/features.h"

namespace hal::x86_64 {
namespace {

CpuFeatures g_features;
bool g_smap_on = false;

constexpr u64 kCr0Wp = 1u << 16;
constexpr u64 kCr4Pge = 1u << 7, kCr4Umip = 1u << 11, kCr4Smep = 1u << 20, kCr4Smap = 1u << 21;

}  // namespace

void DetectCpuFeatures() {
  CpuFeatures& f = g_features;
  CpuidResult r = Cpuid(0);
  f.max_leaf = r.eax;
  __builtin_memcpy(f.vendor + 0, &r.ebx, 4);
  __builtin_memcpy(f.vendor + 4, &r.edx, 4);
  __builtin_memcpy(f.vendor + 8, &r.ecx, 4);
  if (f.max_leaf >= 1) {
    r = Cpuid(1);
    f.x2apic = r.ecx & (1u << 21);
    f.tsc_deadline = r.ecx & (1u << 24);
    f.xsave = r.ecx & (1u << 26);
    f.avx = r.ecx & (1u << 28);
    f.hypervisor = r.ecx & (1u << 31);
    f.apic = r.edx & (1u << 9);
    f.pge = r.edx & (1u << 13);
    f.fxsr = r.edx & (1u << 24);
  }
  if (f.max_leaf >= 7) {
    r = Cpuid(7, 0);
    f.smep = r.ebx & (1u << 7);
    f.smap = r.ebx & (1u << 20);
    f.avx512 = r.ebx & (1u << 16);
    f.umip = r.ecx & (1u << 2);
  }
  f.max_ext_leaf = Cpuid(0x8000'0000).eax;
  if (f.max_ext_leaf >= 0x8000'0001) {
    r = Cpuid(0x8000'0001);
    f.nx = r.edx & (1u << 20);
    f.gbpages = r.edx & (1u << 26);
  }
  if (f.max_ext_leaf >= 0x8000'0007) f.tsc_invariant = Cpuid(0x8000'0007).edx & (1u << 8);
}

const CpuFeatures& Features() { return g_features; }

void EnableCpuProtections() {
  const CpuFeatures& f = g_features;
  WriteCr0(ReadCr0() | kCr0Wp);  // the kernel honours read-only pages too
  u64 cr4 = ReadCr4();
  if (f.pge) cr4 |= kCr4Pge;
  if (f.smep) cr4 |= kCr4Smep;  // never execute user pages in ring 0
  if (f.smap) cr4 |= kCr4Smap;  // never touch user pages in ring 0 outside stac/clac
  if (f.umip) cr4 |= kCr4Umip;  // sgdt/sidt/smsw/str are kernel-only
  WriteCr4(cr4);
  g_smap_on = f.smap;
}

bool SmapEnabled() { return g_smap_on; }

}  // namespace hal::x86_64
