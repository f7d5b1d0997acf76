// The buddy allocator [Knuth TAOCP vol. 1 §2.5; the same scheme as Linux mm/page_alloc.c]:
// free blocks of 2^k pages sit on one list per order; a block's buddy is the block whose frame
// number differs only in bit k, and two free buddies merge into one block of order k+1.
#include "kernel/mm/page_alloc.h"

#include <hal/interrupts.h>
#include <hal/phys.h>

namespace kernel::mm {
namespace {

struct Allocator {
  Page* pages = nullptr;  // one per frame in [0, PhysEnd)
  u64 page_count = 0;
  PhysAddr array_base = 0;  // where the Page array lives (reserved)
  u64 array_bytes = 0;
  u32 free_head[kMaxOrder + 1];
  usize free_blocks[kMaxOrder + 1];
  usize total_pages = 0;
  usize free_pages = 0;
  usize failures = 0;
  bool fail_armed = false;
  usize fail_budget = 0;
};

Allocator g;

constexpr u64 Pfn(PhysAddr pa) { return pa >> kPageShift; }
constexpr PhysAddr Addr(u64 pfn) { return pfn << kPageShift; }

void Push(u32 pfn, unsigned order) {
  Page& p = g.pages[pfn];
  p.flags |= page_flags::kFree;
  p.order = static_cast<u8>(order);
  p.free_list.prev = kNoPage;
  p.free_list.next = g.free_head[order];
  if (g.free_head[order] != kNoPage) g.pages[g.free_head[order]].free_list.prev = pfn;
  g.free_head[order] = pfn;
  ++g.free_blocks[order];
}

void Remove(u32 pfn, unsigned order) {
  Page& p = g.pages[pfn];
  if (p.free_list.prev != kNoPage) {
    g.pages[p.free_list.prev].free_list.next = p.free_list.next;
  } else {
    g.free_head[order] = p.free_list.next;
  }
  if (p.free_list.next != kNoPage) g.pages[p.free_list.next].free_list.prev = p.free_list.prev;
  p.free_list.next = p.free_list.prev = kNoPage;
  p.flags &= static_cast<u16>(~page_flags::kFree);
  --g.free_blocks[order];
}

// Puts the block [pfn, pfn + 2^order) on the free lists, merging it with its buddy for as
// long as the buddy is a free block of the same order. Interrupts are off.
void FreeBlock(u64 pfn, unsigned order) {
  g.free_pages += usize{1} << order;
  while (order < kMaxOrder) {
    u64 buddy = pfn ^ (u64{1} << order);
    if (buddy >= g.page_count) break;
    const Page& b = g.pages[buddy];
    if ((b.flags & page_flags::kFree) == 0 || b.order != order) break;
    Remove(static_cast<u32>(buddy), order);
    pfn &= ~(u64{1} << order);
    ++order;
  }
  Push(static_cast<u32>(pfn), order);
}

// Gives the usable frames [start, end) to the allocator as the largest aligned blocks.
void AddFreeRange(u64 start, u64 end) {
  while (start < end) {
    unsigned order = kMaxOrder;
    while ((start & ((u64{1} << order) - 1)) != 0 || start + (u64{1} << order) > end) --order;
    for (u64 i = 0; i < (u64{1} << order); ++i) g.pages[start + i].flags = 0;
    g.total_pages += usize{1} << order;
    FreeBlock(start, order);
    start += u64{1} << order;
  }
}

// Called with interrupts off when the last reference to the block headed by `head` is gone.
void ReleaseBlock(u64 head) {
  Page& h = g.pages[head];
  unsigned order = h.order;
  // Every page of the block must be an unshared, allocated page; anything else means the
  // Page array was corrupted or a tail page was handed around as a head.
  for (u64 i = 0; i < (u64{1} << order); ++i) {
    Page& p = g.pages[head + i];
    if ((p.flags & (page_flags::kFree | page_flags::kReserved)) != 0 ||
        (i != 0 && p.refcount.load(std::memory_order_relaxed) != 0)) {
      Panic("page_alloc: freeing block %#lx order %u: page %#lx has flags %#x refcount %u",
            Addr(head), order, Addr(head + i), p.flags, p.refcount.load(std::memory_order_relaxed));
    }
    p.flags = 0;
    p.owner.head_pfn = 0;
    p.owner.data = 0;
  }
  FreeBlock(head, order);
}

// The head page of an allocated block at `pa`, or a panic describing why it is not one.
Page& AllocatedHead(PhysAddr pa, const char* what) {
  if (!IsAligned(pa, kPageSize) || Pfn(pa) >= g.page_count) {
    Panic("page_alloc: %s(%#lx): not a page address below %#lx", what, pa, Addr(g.page_count));
  }
  Page& p = g.pages[Pfn(pa)];
  if ((p.flags & page_flags::kReserved) != 0) {
    Panic("page_alloc: %s(%#lx): the page is reserved (flags %#x)", what, pa, p.flags);
  }
  if ((p.flags & page_flags::kFree) != 0) {
    Panic("page_alloc: %s(%#lx): the page is free (order %u): double free?", what, pa, p.order);
  }
  return p;
}

}  // namespace

void InitPageAllocator() {
  hal::IrqGuard guard;
  g = Allocator{};
  for (unsigned k = 0; k <= kMaxOrder; ++k) g.free_head[k] = kNoPage;

  g.page_count = Pfn(hal::Phys::PhysEnd());
  if (g.page_count > kNoPage) {
    Panic("page_alloc: %lu frames do not fit 32-bit frame numbers", g.page_count);
  }
  g.array_bytes = AlignUp(g.page_count * sizeof(Page), kPageSize);

  // The Page array comes from the first usable range large enough to hold it.
  auto ranges = hal::Phys::UsableRanges();
  for (const hal::MemoryRange& r : ranges) {
    PhysAddr base = AlignUp(r.base, kPageSize);
    if (base == 0) base = kPageSize;  // frame 0 is never used, so 0 can mean "no page"
    PhysAddr end = AlignDown(r.base + r.size, kPageSize);
    if (end > base && end - base >= g.array_bytes) {
      g.array_base = base;
      break;
    }
  }
  if (g.array_base == 0) {
    Panic("page_alloc: no usable range holds the %lu-byte page array", g.array_bytes);
  }
  g.pages = static_cast<Page*>(hal::Phys::ToVirt(g.array_base));
  for (u64 i = 0; i < g.page_count; ++i) {
    Page* p = new (&g.pages[i]) Page;
    p->free_list.next = p->free_list.prev = kNoPage;
    p->refcount.store(0, std::memory_order_relaxed);
    p->flags = page_flags::kReserved;
    p->order = 0;
    p->unused = 0;
  }

  const u64 array_first = Pfn(g.array_base);
  const u64 array_end = Pfn(g.array_base + g.array_bytes);
  for (const hal::MemoryRange& r : ranges) {
    u64 start = Pfn(AlignUp(r.base, kPageSize));
    u64 end = Pfn(AlignDown(r.base + r.size, kPageSize));
    if (start == 0) start = 1;
    if (end > g.page_count) end = g.page_count;
    if (start >= end) continue;
    // The range minus the Page array: up to two pieces.
    if (end <= array_first || start >= array_end) {
      AddFreeRange(start, end);
    } else {
      if (start < array_first) AddFreeRange(start, array_first);
      if (end > array_end) AddFreeRange(array_end, end);
    }
  }
}

Result<PhysAddr> AllocPages(unsigned order) {
  hal::IrqGuard guard;
  if (g.fail_armed) {
    if (g.fail_budget == 0) {
      ++g.failures;
      return Errno::kENOMEM;
    }
    --g.fail_budget;
  }
  // Before InitPageAllocator there is nothing to hand out.
  if (order > kMaxOrder || g.pages == nullptr) {
    ++g.failures;
    return Errno::kENOMEM;
  }
  unsigned k = order;
  while (k <= kMaxOrder && g.free_head[k] == kNoPage) ++k;
  if (k > kMaxOrder) {
    ++g.failures;
    return Errno::kENOMEM;
  }
  u32 pfn = g.free_head[k];
  Remove(pfn, k);
  // Split: keep the lower half, give the upper half back at each step.
  while (k > order) {
    --k;
    Push(pfn + (u32{1} << k), k);
  }
  Page& head = g.pages[pfn];
  head.order = static_cast<u8>(order);
  head.flags = 0;
  head.owner.head_pfn = 0;
  head.owner.data = 0;
  head.refcount.store(1, std::memory_order_relaxed);
  g.free_pages -= usize{1} << order;
  return Addr(pfn);
}

Result<PhysAddr> AllocZeroedPages(unsigned order) {
  PhysAddr pa = TRY(AllocPages(order));
  __builtin_memset(hal::Phys::ToVirt(pa), 0, kPageSize << order);
  return pa;
}

void FreePages(PhysAddr pa, unsigned order) {
  {
    hal::IrqGuard guard;
    Page& p = AllocatedHead(pa, "FreePages");
    if (p.order != order) {
      Panic("page_alloc: FreePages(%#lx, order %u): the block was allocated with order %u", pa,
            order, p.order);
    }
  }
  PutPage(pa);
}

void GetPage(PhysAddr pa) {
  hal::IrqGuard guard;
  Page& p = AllocatedHead(pa, "GetPage");
  u32 old = p.refcount.load(std::memory_order_relaxed);
  if (old == 0) Panic("page_alloc: GetPage(%#lx): not the head of an allocated block", pa);
  if (old == ~u32{0}) Panic("page_alloc: GetPage(%#lx): reference count overflow", pa);
  p.refcount.fetch_add(1, std::memory_order_relaxed);
}

void PutPage(PhysAddr pa) {
  hal::IrqGuard guard;
  Page& p = AllocatedHead(pa, "PutPage");
  u32 old = p.refcount.load(std::memory_order_relaxed);
  do {
    if (old == 0) {
      Panic(
          "page_alloc: PutPage(%#lx): not the head of an allocated block (flags %#x): "
          "a tail page, or freed twice",
          pa, p.flags);
    }
  } while (!p.refcount.compare_exchange_weak(old, old - 1, std::memory_order_acq_rel));
  if (old == 1) ReleaseBlock(Pfn(pa));
}

u32 PageRefCount(PhysAddr pa) { return PageOf(pa).refcount.load(std::memory_order_relaxed); }

Page& PageOf(PhysAddr pa) {
  if (Pfn(pa) >= g.page_count) {
    Panic("page_alloc: PageOf(%#lx): beyond the end of RAM (%#lx)", pa, Addr(g.page_count));
  }
  return g.pages[Pfn(pa)];
}

PhysAddr PageAddress(const Page& page) { return Addr(static_cast<u64>(&page - g.pages)); }

PhysStats GetPhysStats() {
  hal::IrqGuard guard;
  PhysStats s{};
  s.total_pages = g.total_pages;
  s.free_pages = g.free_pages;
  for (unsigned k = 0; k <= kMaxOrder; ++k) s.free_blocks[k] = g.free_blocks[k];
  s.failures = g.failures;
  return s;
}

void FailPageAllocAfter(usize n) {
  hal::IrqGuard guard;
  g.fail_armed = true;
  g.fail_budget = n;
}

void ClearPageAllocFailure() {
  hal::IrqGuard guard;
  g.fail_armed = false;
}

}  // namespace kernel::mm
