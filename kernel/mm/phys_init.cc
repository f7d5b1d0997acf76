#include "kernel/mm/phys_init.h"

#include "kernel/debug/log.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/page_alloc.h"

namespace kernel::mm {

void InitPhysicalMemory() {
  InitPageAllocator();
  heap::Init();
  PhysStats s = GetPhysStats();
  LOG_DEBUG("mm: %zu KiB of RAM managed, %zu KiB free\n", s.total_pages * (kPageSize / 1024),
            s.free_pages * (kPageSize / 1024));
}

}  // namespace kernel::mm
