#pragma once
/// The kernel heap behind lib::Allocate. TODO(#2): size classes over the buddy allocator;
/// until then a first-fit allocator over a fixed bootstrap region.
#include "kernel/lib/types.h"

namespace kernel::mm::heap {

/// Statistics for tests and /proc/meminfo.
struct Stats {
  usize bytes_in_use;
  usize allocations;  ///< live allocations
  usize failures;     ///< requests that returned nullptr
};
Stats GetStats();

/// Fault injection for tests: the next `n` allocations succeed, every later one fails, until
/// ClearFailure(). Lets tests prove that nothing aborts on a failed allocation.
void FailAfter(usize n);
void ClearFailure();

}  // namespace kernel::mm::heap
