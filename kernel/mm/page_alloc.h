#pragma once
/// The physical page allocator: a binary buddy allocator over hal::Phys::UsableRanges(), with
/// one `Page` descriptor per physical page frame and a reference count on every allocated
/// block. See docs/memory.md for the design.
///
/// Every allocated block starts with one reference, held by whoever called AllocPages.
/// GetPage adds a reference (a second mapping of a copy-on-write page, a page-cache user);
/// PutPage drops one, and the block returns to the free lists when the last one goes.
/// Freeing a page that is not allocated is a kernel bug and panics with the details.
///
/// Locking: one CPU, so turning interrupts off (hal::IrqGuard) is the lock around the free
/// lists; reference counts are atomics so that they stay correct when SMP arrives.
#include <atomic>

#include "kernel/lib/result.h"
#include "kernel/lib/types.h"

namespace kernel::mm {

/// Blocks are 2^order pages; order 10 is 4 MiB, the largest contiguous request served.
inline constexpr unsigned kMaxOrder = 10;

/// Page::flags bits.
namespace page_flags {
inline constexpr u16 kFree = 1u << 0;       ///< head of a free block (order in Page::order)
inline constexpr u16 kReserved = 1u << 1;   ///< not usable RAM, or the Page array itself
inline constexpr u16 kPageTable = 1u << 2;  ///< a page-table page (hal::hooks)
inline constexpr u16 kHeapSlab = 1u << 3;   ///< part of a heap slab (owner.head_pfn = its head)
inline constexpr u16 kHeapLarge = 1u << 4;  ///< head of a whole-page heap allocation
}  // namespace page_flags

/// The descriptor of one physical page frame. Kept to 16 bytes: 256 MiB of RAM costs 1 MiB.
/// Only the head page of a block carries its order and reference count; the other pages of
/// the block keep refcount 0.
struct Page {
  union {
    /// While the page heads a free block: the free list of its order, as frame numbers
    /// (kNoPage ends the list).
    struct {
      u32 next;
      u32 prev;
    } free_list;
    /// While allocated: two words for the owner. The heap keeps the frame number of a slab's
    /// first page in head_pfn on every page of the slab.
    struct {
      u32 head_pfn;
      u32 data;
    } owner;
  };
  std::atomic<u32> refcount;
  u16 flags;
  u8 order;
  u8 unused;
};
static_assert(sizeof(Page) == 16);

inline constexpr u32 kNoPage = ~u32{0};

/// Once, before anything allocates (see kernel/mm/phys_init.h).
void InitPageAllocator();

/// 2^order contiguous, naturally aligned pages with one reference, or ENOMEM. Reachable
/// through hal::Phys::ToVirt. Physical page 0 is never handed out, so 0 can mean "none".
Result<PhysAddr> AllocPages(unsigned order);
/// As AllocPages, with the memory zeroed.
Result<PhysAddr> AllocZeroedPages(unsigned order);
inline Result<PhysAddr> AllocPage() { return AllocPages(0); }
inline Result<PhysAddr> AllocZeroedPage() { return AllocZeroedPages(0); }

/// Drops the allocation's reference to the block at `pa`, which must have been allocated with
/// this `order` (checked: a mismatch is a kernel bug). Same as PutPage otherwise.
void FreePages(PhysAddr pa, unsigned order);
inline void FreePage(PhysAddr pa) { FreePages(pa, 0); }

/// Adds a reference to the allocated block headed by `pa`.
void GetPage(PhysAddr pa);
/// Drops a reference; the block is freed when the count reaches zero.
void PutPage(PhysAddr pa);
/// The current reference count of the block headed by `pa` (0 for a free or tail page).
u32 PageRefCount(PhysAddr pa);

/// The descriptor of the frame containing `pa`. `pa` must be below hal::Phys::PhysEnd().
Page& PageOf(PhysAddr pa);
PhysAddr PageAddress(const Page& page);

struct PhysStats {
  usize total_pages;  ///< pages the allocator manages (usable RAM minus the Page array)
  usize free_pages;
  usize free_blocks[kMaxOrder + 1];  ///< free blocks of each order (shows fragmentation)
  usize failures;                    ///< requests answered with ENOMEM
};
PhysStats GetPhysStats();

/// Fault injection for tests: the next `n` allocations succeed, every later one fails with
/// ENOMEM until ClearPageAllocFailure(). Lets tests prove that callers unwind cleanly.
void FailPageAllocAfter(usize n);
void ClearPageAllocFailure();

}  // namespace kernel::mm
