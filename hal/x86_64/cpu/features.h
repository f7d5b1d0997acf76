#pragma once
// What this CPU can do (CPUID), read once at boot [intel-sdm 2 CPUID; amd-apm 3 CPUID].
#include "hal/x86_64/cpu/x86.h"

namespace hal::x86_64 {

struct CpuFeatures {
  char vendor[13] = {};
  u32 max_leaf = 0, max_ext_leaf = 0;
  bool nx = false, gbpages = false, pge = false;
  bool smep = false, smap = false, umip = false;
  bool apic = false, x2apic = false, tsc_deadline = false, tsc_invariant = false;
  bool fxsr = false, xsave = false, avx = false, avx512 = false;
  bool hypervisor = false;
};

void DetectCpuFeatures();
const CpuFeatures& Features();

/// Turns on what the kernel relies on: CR0.WP, CR4.PGE, EFER.NXE, SMEP, SMAP, UMIP (when
/// present). Call after the kernel page tables are live.
void EnableCpuProtections();

/// True once CR4.SMAP is set: user-memory accesses from the kernel need stac/clac.
bool SmapEnabled();

}  // namespace hal::x86_64
