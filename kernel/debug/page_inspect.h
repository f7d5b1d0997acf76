#pragma once
/// The page-table inspector (issue #7): for one address, walks the four levels of the x86_64
/// page-table format that both backends use (hal/mmu.h), prints each level's entry (its index,
/// raw value, decoded flags and the frame it points to) and then bytes of the final page.
///
/// Used from a kernel panic (hal/x86_64's dump, with CR3 and CR2), from `debug=fault` and
/// `debug=pagefault` for user faults (kernel/proc/user_loop.cc, with the task's address space),
/// and from tests on hostsim, which capture the text through a sink. It only reads memory
/// through the direct map and checks every table address against the end of physical memory
/// first, so a corrupt entry ends the walk with a message instead of a second fault.
#include <hal/mmu.h>

#include "kernel/lib/types.h"

namespace kernel::debug {

/// Where the inspector's text goes, a line at a time (each ends in '\n').
using InspectSink = void (*)(void* ctx, const char* text, usize n);

struct InspectOptions {
  /// Bytes of the final page to dump, 16 a line, from the line holding the address (wrapping
  /// to the start of the page); kPageSize dumps the whole page, 0 none.
  usize dump_bytes = 64;
  /// Null: the kernel log at error level (what a panic and debug= use).
  InspectSink sink = nullptr;
  void* sink_ctx = nullptr;
};

/// What the walk found.
struct InspectResult {
  int entries = 0;       ///< entries printed (1-4)
  bool present = false;  ///< a present leaf maps the address
  int leaf_level = -1;   ///< 0: 4 KiB page, 1: 2 MiB, 2: 1 GiB; -1 when none was reached
  PhysAddr phys = 0;     ///< the address's physical byte, when present
  u64 leaf_entry = 0;    ///< the raw leaf entry (possibly non-present, e.g. PROT_NONE)
};

InspectResult InspectAddress(hal::PageTableRoot root, u64 va, const InspectOptions& options = {});

}  // namespace kernel::debug
