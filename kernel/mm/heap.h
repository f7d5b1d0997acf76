#pragma once
/// The kernel heap behind lib::Allocate: size-classed slabs carved from buddy blocks for
/// requests up to kMaxSmallSize, whole buddy blocks for larger ones (docs/memory.md).
/// It takes every page from the page allocator, so kernel::mm::InitPhysicalMemory() must have
/// run before the first allocation; until then Allocate returns nullptr.
#include "kernel/lib/types.h"

namespace kernel::mm::heap {

/// Requests above this many bytes (or aligned to a whole page) get whole pages.
inline constexpr usize kMaxSmallSize = 2048;

/// Statistics for tests and /proc/meminfo.
struct Stats {
  usize bytes_in_use;  ///< bytes of live allocations, rounded to their size class or pages
  usize allocations;   ///< live allocations
  usize failures;      ///< requests that returned nullptr
  usize pages;         ///< pages the heap holds from the page allocator (slabs and large)
};
Stats GetStats();

/// Fault injection for tests: the next `n` allocations succeed, every later one fails, until
/// ClearFailure(). Lets tests prove that nothing aborts on a failed allocation.
void FailAfter(usize n);
void ClearFailure();

/// Forgets every slab (InitPhysicalMemory calls it after the page allocator starts afresh).
void Init();

}  // namespace kernel::mm::heap
