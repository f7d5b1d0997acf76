#pragma once
/// Where things go in a user address space. The values are Linux x86_64's with address-space
/// randomisation off (what `setarch -R` shows), so that runs are deterministic and addresses
/// in traces match a Linux reference run [linux arch/x86/include/asm/{page_64_types,elf}.h,
/// mm/util.c mmap_base()].
#include <hal/mmu.h>

#include "kernel/lib/types.h"

namespace kernel::mm {

/// The lowest address mmap hands out or accepts without MAP_FIXED (vm.mmap_min_addr).
inline constexpr u64 kMmapMinAddr = 0x10000;
/// One past the highest user page (TASK_SIZE_MAX minus the guard page).
inline constexpr u64 kTaskSize = 0x7fff'ffff'f000;
static_assert(kTaskSize <= hal::kUserEnd);
/// The top of the initial stack (STACK_TOP without randomisation).
inline constexpr u64 kStackTop = kTaskSize;
/// The initial stack mapping: at least this much is mapped at execve (setup_arg_pages).
inline constexpr u64 kInitialStackSize = 128ul * 1024;
/// Top-down mmap allocations start below here: TASK_SIZE minus the stack's room (the stack
/// rlimit plus the guard gap, at least 128 MiB).
inline constexpr u64 kMmapBase = kTaskSize - (128ull << 20);
/// Where a PIE with an interpreter is loaded (ELF_ET_DYN_BASE = 2/3 of the address space).
inline constexpr u64 kElfEtDynBase = 0x5555'5555'4000;
/// The gap kept free below a stack that grows down (stack_guard_gap = 256 pages), and the one
/// page brk keeps between the heap and the next mapping.
inline constexpr u64 kStackGuardGap = 256 * kPageSize;
inline constexpr u64 kBrkGuardGap = kPageSize;
/// How far the initial stack may grow (RLIMIT_STACK's default soft limit).
inline constexpr u64 kDefaultStackLimit = 8ull << 20;

}  // namespace kernel::mm
