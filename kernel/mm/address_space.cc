// The core of an address space: creation and teardown, the VMA tree edits every operation is
// built from (split, insert, remove, merge), placement of new mappings, and kernel writes.
#include "kernel/mm/address_space.h"

#include <hal/phys.h>

#include "kernel/lib/alloc.h"
#include "kernel/mm/page_alloc.h"

namespace kernel::mm {

bool PutPageVisitor(void*, u64, const hal::Translation& t) {
  PutPage(t.phys);
  return true;
}

namespace {
// Every live address space, for ZapObjectPages. Unlocked: like the rest of the address space
// code it runs under the kernel's lock and never sleeps while walking.
lib::IntrusiveList<AddressSpace, &AddressSpace::all_node_> g_all_spaces;
}  // namespace

AddressSpace::AddressSpace() = default;

void AddressSpace::ZapObjectPages(const void* key, u64 first_index) {
  for (AddressSpace& as : g_all_spaces) {
    for (Vma* v = as.vmas_.First(); v != nullptr; v = as.vmas_.Next(*v)) {
      if (v->anonymous() || v->object->mapping_key() != key) continue;
      u64 last_index = v->pgoff + (v->end() - v->start()) / kPageSize;  // exclusive
      if (last_index <= first_index) continue;
      u64 from =
          first_index <= v->pgoff ? v->start() : v->start() + (first_index - v->pgoff) * kPageSize;
      as.ZapRange(from, v->end());
    }
  }
}

Result<lib::RefPtr<AddressSpace>> AddressSpace::Create() {
  hal::PageTableRoot root = TRY(hal::Mmu::CreateAddressSpace());
  AddressSpace* as = lib::TryNew<AddressSpace>().value_or(nullptr);
  if (as == nullptr) {
    hal::Mmu::DestroyAddressSpace(root);
    return Errno::kENOMEM;
  }
  as->root_ = root;
  g_all_spaces.PushBack(*as);
  return lib::AdoptRef(as);
}

AddressSpace::~AddressSpace() {
  if (hal::Mmu::Active() == root_) {
    Panic("AddressSpace %p destroyed while active", static_cast<void*>(this));
  }
  if (all_node_.linked()) g_all_spaces.Remove(*this);
  vmas_.Clear([this](Vma& v) {
    ZapRange(v.start(), v.end());
    lib::Delete(&v);
  });
  hal::Mmu::DestroyAddressSpace(root_);
}

void AddressSpace::ZapRange(u64 start, u64 end) {
  if (end <= start) return;
  // Cannot fail for a page-aligned user range of a valid root.
  (void)hal::Mmu::UnmapRange(root_, start, end - start, &PutPageVisitor, nullptr);
}

Vma* AddressSpace::SplitAt(Vma& vma, u64 at, Vma* spare) {
  u64 end = vma.end();
  spare->prot = vma.prot;
  spare->flags = vma.flags;
  spare->object = vma.object;
  spare->pgoff = vma.pgoff + (at - vma.start()) / kPageSize;
  // Shrinking first leaves room for the upper half; neither step can collide.
  (void)vmas_.UpdateRange(vma, vma.start(), at);
  (void)vmas_.Insert(*spare, at, end);
  return spare;
}

Vma* AddressSpace::InsertVma(Vma* vma, u64 start, u64 end) {
  auto r = vmas_.Insert(*vma, start, end);
  if (r.is_error()) Panic("InsertVma [%#lx, %#lx): the range is not free", start, end);
  return vma;
}

void AddressSpace::RemoveRange(u64 start, u64 end) {
  Vma* v = vmas_.FindFirstOverlap(start, end);
  while (v != nullptr && v->start() < end) {
    Vma* next = vmas_.Next(*v);
    vmas_.Remove(*v);
    ZapRange(v->start(), v->end());
    lib::Delete(v);
    v = next;
  }
}

Vma* AddressSpace::MergeAround(Vma* vma) {
  if (Vma* next = vmas_.Next(*vma); next != nullptr && vma->CanMergeWith(*next)) {
    u64 end = next->end();
    vmas_.Remove(*next);
    lib::Delete(next);
    (void)vmas_.UpdateRange(*vma, vma->start(), end);
  }
  if (Vma* prev = vmas_.Prev(*vma); prev != nullptr && prev->CanMergeWith(*vma)) {
    u64 end = vma->end();
    vmas_.Remove(*vma);
    lib::Delete(vma);
    (void)vmas_.UpdateRange(*prev, prev->start(), end);
    vma = prev;
  }
  return vma;
}

namespace {

// Linux's vm_start_gap/vm_end_gap: a stack that grows down keeps a guard gap below it that no
// other mapping may take.
u64 StartGap(const Vma& v) {
  if ((v.flags & vma_flags::kGrowsDown) == 0) return v.start();
  return v.start() > kStackGuardGap ? v.start() - kStackGuardGap : 0;
}

}  // namespace

Result<u64> AddressSpace::FindFreeRange(u64 length, u64 hint) const {
  if (length > kTaskSize - kMmapMinAddr) return Errno::kENOMEM;
  auto fits = [&](u64 a) {
    if (a < kMmapMinAddr || a > kTaskSize - length) return false;
    if (vmas_.FindFirstOverlap(a, a + length) != nullptr) return false;
    const Vma* next = vmas_.LowerBound(a + length);
    return next == nullptr || a + length <= StartGap(*next);
  };
  if (hint != 0) {
    u64 a = AlignUp(hint, kPageSize);
    if (a >= hint && fits(a)) return a;
  }
  // Top down from mmap_base, then bottom up above it (Linux's fallback).
  u64 hi = mmap_base_;
  while (hi >= kMmapMinAddr + length) {
    auto found = vmas_.FindGapTopDown(length, kPageSize, kMmapMinAddr, hi);
    if (found.is_error()) break;
    u64 a = found.value();
    if (fits(a)) return a;
    // The gap lies in a stack's guard gap: look below that stack's gap.
    const Vma* next = vmas_.LowerBound(a + length);
    u64 limit = next != nullptr ? StartGap(*next) : a;
    if (limit >= hi) break;
    hi = limit;
  }
  u64 lo = mmap_base_;
  while (lo <= kTaskSize - length) {
    auto found = vmas_.FindGap(length, kPageSize, lo, kTaskSize);
    if (found.is_error()) break;
    u64 a = found.value();
    if (fits(a)) return a;
    const Vma* next = vmas_.LowerBound(a + length);
    if (next == nullptr) break;
    lo = next->end();
  }
  return Errno::kENOMEM;
}

Result<void> AddressSpace::WriteForced(u64 va, const void* src, usize n) {
  const auto* in = static_cast<const u8*>(src);
  while (n > 0) {
    u64 page = AlignDown(va, kPageSize);
    usize chunk = kPageSize - (va - page);
    if (chunk > n) chunk = n;
    Vma* vma = FindVma(va);
    if (vma == nullptr) return Errno::kEFAULT;
    TRY(FaultIn(*vma, va, /*write=*/true));
    hal::Translation t = TRY(hal::Mmu::Query(root_, page));
    u8* dst = static_cast<u8*>(hal::Phys::ToVirt(t.phys)) + (va - page);
    if (in != nullptr) {
      __builtin_memcpy(dst, in, chunk);
      in += chunk;
    } else {
      __builtin_memset(dst, 0, chunk);
    }
    va += chunk;
    n -= chunk;
  }
  return Ok();
}

Result<void> AddressSpace::ZeroForced(u64 va, usize n) { return WriteForced(va, nullptr, n); }

usize AddressSpace::CountMappedPages() const {
  usize count = 0;
  (void)hal::Mmu::ForEach(
      root_, hal::kUserMin, kTaskSize - hal::kUserMin,
      [](void* c, u64, const hal::Translation&) {
        ++*static_cast<usize*>(c);
        return true;
      },
      &count);
  return count;
}

void AddressSpace::Verify() const {
  if (!vmas_.Verify())
    Panic("AddressSpace %p: the VMA tree is broken", static_cast<const void*>(this));
  const Vma* prev = nullptr;
  for (const Vma& v : vmas_) {
    if (!IsAligned(v.start(), kPageSize) || !IsAligned(v.end(), kPageSize) ||
        v.end() <= v.start() || v.start() < hal::kUserMin || v.end() > kTaskSize) {
      Panic("AddressSpace: bad VMA [%#lx, %#lx)", v.start(), v.end());
    }
    if (prev != nullptr && prev->end() > v.start()) {
      Panic("AddressSpace: VMAs [%#lx, %#lx) and [%#lx, %#lx) overlap", prev->start(), prev->end(),
            v.start(), v.end());
    }
    prev = &v;
  }
  // Every mapped page lies inside a VMA.
  struct Ctx {
    const AddressSpace* as;
  } ctx{this};
  (void)hal::Mmu::ForEach(
      root_, hal::kUserMin, kTaskSize - hal::kUserMin,
      [](void* c, u64 va, const hal::Translation&) {
        if (static_cast<Ctx*>(c)->as->FindVma(va) == nullptr) {
          Panic("AddressSpace: page %#lx is mapped outside every VMA", va);
        }
        return true;
      },
      &ctx);
}

}  // namespace kernel::mm
