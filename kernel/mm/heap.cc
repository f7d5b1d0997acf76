// The kernel heap: size classes over slabs, in the manner of Bonwick's slab allocator and
// Linux's kmalloc caches, but without per-CPU caches or constructors.
//
// A slab is one buddy block (1, 2 or 4 pages, chosen per class so that little is wasted) that
// starts with a SlabHeader and holds objects of one size; a bitmap in the header says which
// are in use, which also catches double frees. Every page of a slab is tagged kHeapSlab in
// its Page descriptor with the slab's first frame number, so Free finds the header of any
// object in O(1). Requests above kMaxSmallSize (or aligned to a page) get a whole buddy
// block tagged kHeapLarge. A slab that becomes empty goes straight back to the buddy
// allocator, which keeps the heap's footprint exact and the tests deterministic.
#include "kernel/mm/heap.h"

#include <bit>

#include <hal/interrupts.h>
#include <hal/phys.h>

#include "kernel/lib/alloc.h"
#include "kernel/mm/page_alloc.h"

namespace kernel::mm::heap {
namespace {

constexpr u32 kSlabMagic = 0x51ab'c0deu;
constexpr usize kMaxObjectsPerSlab = 256;
constexpr usize kBitmapWords = kMaxObjectsPerSlab / 64;

struct SlabHeader {
  u32 magic;
  u16 class_index;
  u16 in_use;
  SlabHeader* next;  // the class's list of slabs with at least one free object
  SlabHeader* prev;
  u64 used[kBitmapWords];  // bit i: object i is allocated; bits past capacity stay set
};
static_assert(sizeof(SlabHeader) <= 64);
constexpr usize kHeaderSize = 64;

struct SizeClass {
  u32 size;
  u8 slab_order;
};

// Each class wastes at most about an eighth of its slab; power-of-two classes keep their
// objects aligned to their size, which is how aligned requests are served.
constexpr SizeClass kClasses[] = {
    {16, 0},  {32, 0},  {48, 0},  {64, 0},  {96, 0},   {128, 0},  {192, 0},
    {256, 0}, {384, 0}, {512, 0}, {768, 1}, {1024, 1}, {1536, 2}, {2048, 2},
};
constexpr usize kClassCount = sizeof(kClasses) / sizeof(kClasses[0]);

// Object 0 starts after the header, at a multiple of the object size for power-of-two
// classes (so objects are naturally aligned) and of 16 otherwise.
constexpr usize FirstOffset(const SizeClass& c) {
  usize align = std::has_single_bit(c.size) ? c.size : 16;
  return AlignUp(kHeaderSize, align);
}
constexpr usize SlabBytes(const SizeClass& c) { return kPageSize << c.slab_order; }
constexpr usize Capacity(const SizeClass& c) { return (SlabBytes(c) - FirstOffset(c)) / c.size; }

constexpr bool ClassesAreValid() {
  for (const SizeClass& c : kClasses) {
    if (Capacity(c) == 0 || Capacity(c) > kMaxObjectsPerSlab || c.size % 16 != 0) return false;
  }
  return kClasses[kClassCount - 1].size == kMaxSmallSize;
}
static_assert(ClassesAreValid());

struct Heap {
  SlabHeader* partial[kClassCount];
  Stats stats;
  bool fail_armed;
  usize fail_budget;
};

Heap g_heap;

constexpr u8 kFreedPoison = 0x6b;  // as Linux's POISON_FREE: a use after free reads 0x6b6b...

// The smallest class that fits `size` bytes at `align`, or -1 (the request needs pages).
int ClassFor(usize size, usize align) {
  if (size > kMaxSmallSize) return -1;
  for (usize i = 0; i < kClassCount; ++i) {
    const SizeClass& c = kClasses[i];
    if (c.size >= size && c.size % align == 0 && FirstOffset(c) % align == 0) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

void ListPush(usize cls, SlabHeader* s) {
  s->prev = nullptr;
  s->next = g_heap.partial[cls];
  if (s->next != nullptr) s->next->prev = s;
  g_heap.partial[cls] = s;
}

void ListRemove(usize cls, SlabHeader* s) {
  if (s->prev != nullptr) {
    s->prev->next = s->next;
  } else {
    g_heap.partial[cls] = s->next;
  }
  if (s->next != nullptr) s->next->prev = s->prev;
  s->next = s->prev = nullptr;
}

SlabHeader* NewSlab(usize cls) {
  const SizeClass& c = kClasses[cls];
  auto pa = AllocPages(c.slab_order);
  if (pa.is_error()) return nullptr;
  PhysAddr head = pa.value();
  for (usize i = 0; i < (usize{1} << c.slab_order); ++i) {
    Page& p = PageOf(head + i * kPageSize);
    p.flags |= page_flags::kHeapSlab;
    p.owner.head_pfn = static_cast<u32>(head >> kPageShift);
  }
  auto* s = static_cast<SlabHeader*>(hal::Phys::ToVirt(head));
  s->magic = kSlabMagic;
  s->class_index = static_cast<u16>(cls);
  s->in_use = 0;
  usize cap = Capacity(c);
  for (usize w = 0; w < kBitmapWords; ++w) {
    usize first = w * 64;
    if (cap >= first + 64) {
      s->used[w] = 0;
    } else if (cap <= first) {
      s->used[w] = ~u64{0};
    } else {
      s->used[w] = ~u64{0} << (cap - first);
    }
  }
  ListPush(cls, s);
  g_heap.stats.pages += usize{1} << c.slab_order;
  return s;
}

void* AllocateSmall(usize cls) {
  SlabHeader* s = g_heap.partial[cls];
  if (s == nullptr) s = NewSlab(cls);
  if (s == nullptr) return nullptr;
  const SizeClass& c = kClasses[cls];
  for (usize w = 0; w < kBitmapWords; ++w) {
    if (s->used[w] == ~u64{0}) continue;
    unsigned bit = static_cast<unsigned>(std::countr_one(s->used[w]));
    s->used[w] |= u64{1} << bit;
    ++s->in_use;
    if (s->in_use == Capacity(c)) ListRemove(cls, s);
    g_heap.stats.bytes_in_use += c.size;
    return reinterpret_cast<u8*>(s) + FirstOffset(c) + (w * 64 + bit) * c.size;
  }
  Panic("heap: slab %p of class %u is on the partial list but full", static_cast<void*>(s), c.size);
}

void* AllocateLarge(usize size) {
  usize pages = AlignUp(size, kPageSize) / kPageSize;
  unsigned order = static_cast<unsigned>(std::bit_width(pages - 1));
  if (order > kMaxOrder) return nullptr;
  auto pa = AllocPages(order);
  if (pa.is_error()) return nullptr;
  PageOf(pa.value()).flags |= page_flags::kHeapLarge;
  g_heap.stats.pages += usize{1} << order;
  g_heap.stats.bytes_in_use += kPageSize << order;
  return hal::Phys::ToVirt(pa.value());
}

void FreeSmall(void* p, PhysAddr pa, const Page& page) {
  PhysAddr head = static_cast<PhysAddr>(page.owner.head_pfn) << kPageShift;
  auto* s = static_cast<SlabHeader*>(hal::Phys::ToVirt(head));
  if (s->magic != kSlabMagic || s->class_index >= kClassCount) {
    Panic("heap: Free(%p): the slab header at %#lx is corrupt (magic %#x)", p, head, s->magic);
  }
  usize cls = s->class_index;
  const SizeClass& c = kClasses[cls];
  usize offset = pa - head;
  if (offset < FirstOffset(c) || (offset - FirstOffset(c)) % c.size != 0) {
    Panic("heap: Free(%p): not the start of a %u-byte object", p, c.size);
  }
  usize index = (offset - FirstOffset(c)) / c.size;
  u64& word = s->used[index / 64];
  u64 bit = u64{1} << (index % 64);
  if ((word & bit) == 0) Panic("heap: Free(%p): double free of a %u-byte object", p, c.size);
  __builtin_memset(p, kFreedPoison, c.size);
  if (s->in_use == Capacity(c)) ListPush(cls, s);
  word &= ~bit;
  --s->in_use;
  g_heap.stats.bytes_in_use -= c.size;
  if (s->in_use == 0) {
    ListRemove(cls, s);
    s->magic = 0;
    g_heap.stats.pages -= usize{1} << c.slab_order;
    FreePages(head, c.slab_order);
  }
}

}  // namespace

Stats GetStats() {
  hal::IrqGuard guard;
  return g_heap.stats;
}

void FailAfter(usize n) {
  hal::IrqGuard guard;
  g_heap.fail_armed = true;
  g_heap.fail_budget = n;
}

void ClearFailure() {
  hal::IrqGuard guard;
  g_heap.fail_armed = false;
}

void Init() {
  hal::IrqGuard guard;
  g_heap = Heap{};
}

}  // namespace kernel::mm::heap

namespace kernel::lib {

void* Allocate(usize size, usize align) {
  using namespace mm::heap;
  hal::IrqGuard guard;
  void* p = nullptr;
  bool injected_failure = g_heap.fail_armed && g_heap.fail_budget == 0;
  bool unserved_alignment = align == 0 || align > kPageSize || !std::has_single_bit(align);
  if (!injected_failure && !unserved_alignment) {
    if (g_heap.fail_armed) --g_heap.fail_budget;
    if (size == 0) size = 1;
    if (align < kDefaultAlign) align = kDefaultAlign;
    int cls = ClassFor(size, align);
    p = cls >= 0 ? AllocateSmall(static_cast<usize>(cls)) : AllocateLarge(size);
  }
  if (p == nullptr) {
    ++g_heap.stats.failures;
    return nullptr;
  }
  ++g_heap.stats.allocations;
  return p;
}

void Free(void* p) {
  using namespace mm;
  if (p == nullptr) return;
  hal::IrqGuard guard;
  PhysAddr pa = hal::Phys::ToPhys(p);
  Page& page = PageOf(pa);
  if ((page.flags & page_flags::kHeapSlab) != 0) {
    heap::FreeSmall(p, pa, page);
  } else if ((page.flags & page_flags::kHeapLarge) != 0 && IsAligned(pa, kPageSize)) {
    heap::g_heap.stats.bytes_in_use -= kPageSize << page.order;
    heap::g_heap.stats.pages -= usize{1} << page.order;
    FreePages(pa, page.order);
  } else {
    Panic("heap: Free(%p): not a live heap allocation (page flags %#x): double free?", p,
          page.flags);
  }
  --heap::g_heap.stats.allocations;
}

}  // namespace kernel::lib
