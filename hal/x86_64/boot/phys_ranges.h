#pragma once
// Usable physical memory: the loader's memory map less what is already in use, and the early
// page allocator that feeds the kernel page tables before the buddy allocator exists.
#include "hal/x86_64/cpu/x86.h"

namespace hal::x86_64 {

/// Computes the usable ranges from the boot memory map, excluding the low 1 MiB, the kernel
/// image, the initrd and every non-RAM range. Returns false when the map has no usable RAM.
bool InitPhysRanges();

/// One zeroed 4 KiB page below 4 GiB, taken out of the usable ranges for good. Panics when
/// there is none (the machine cannot boot). Reachable at kDirectMapBase + phys both before and
/// after the switch to the kernel's page tables.
u64 EarlyAllocPage();

/// Sum of the usable ranges, for the boot log and tests.
u64 UsableBytes();

}  // namespace hal::x86_64
