#pragma once
// The kernel's own page tables: the direct map of all RAM at kDirectMapBase and the kernel
// image at kKernelVma with W^X permissions. Built once in BootMain; the kernel half (PML4
// entries 256..511) never gains entries afterwards, so user address spaces may copy it.
#include "hal/x86_64/cpu/x86.h"

namespace hal::x86_64 {

inline constexpr u64 kKernelVma = 0xffff'ffff'8000'0000ull;

struct PagingFeatures {
  bool nx = false;       ///< EFER.NXE may be set: map data non-executable
  bool gbpages = false;  ///< 1 GiB pages in the direct map
  bool global = false;   ///< CR4.PGE: kernel mappings survive CR3 loads
};

/// Builds the tables (from EarlyAllocPage) and loads CR3. Call after InitPhysRanges.
void InitKernelPageTables(const PagingFeatures& features);

/// Physical address of the kernel PML4. Its entries 256..511 are the kernel half every
/// address space shares (the mm backend copies them into each new PML4).
u64 KernelPml4();

/// Maps device registers [phys, phys+size) uncached at kDirectMapBase + phys (where no RAM
/// is) and returns the address. Only during machine setup: page tables come from the early
/// allocator.
volatile void* MapMmio(u64 phys, u64 size);

/// Bytes of RAM mapped by the direct map, and how many 1G/2M/4K leaves it took (boot log).
struct DirectMapStats {
  u64 bytes = 0;
  u64 pages_1g = 0, pages_2m = 0, pages_4k = 0;
};
DirectMapStats GetDirectMapStats();

}  // namespace hal::x86_64
