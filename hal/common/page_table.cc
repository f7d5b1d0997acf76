// The shared page-table walker. Tables are reached through the direct map; entries are read
// and written with single atomic accesses so that neither the compiler nor another walker
// (the CPU setting accessed/dirty bits) ever sees a torn entry.
#include "hal/common/page_table.h"

#include <hal/kernel_hooks.h>
#include <hal/phys.h>

namespace hal::common {
namespace {

using kernel::IsAligned;
using kernel::kPageSize;

u64* TableAt(PhysAddr pa) { return static_cast<u64*>(Phys::ToVirt(pa)); }
u64 Load(const u64* e) { return __atomic_load_n(e, __ATOMIC_RELAXED); }
void Store(u64* e, u64 v) { __atomic_store_n(e, v, __ATOMIC_RELAXED); }
u64 Exchange(u64* e, u64 v) { return __atomic_exchange_n(e, v, __ATOMIC_RELAXED); }

constexpr u64 kHardwareKept = pte::kAccessed | pte::kDirty;

Translation ToTranslation(u64 entry) {
  return Translation{entry & pte::kAddressMask, entry & pte::kFlagsMask};
}

bool IsUserPage(u64 va) { return IsAligned(va, kPageSize) && va >= kUserMin && va < kUserEnd; }

// [va, va+len) is page aligned and inside the user half (len 0 is an empty range).
bool IsUserRange(u64 va, u64 len) {
  return IsAligned(va, kPageSize) && IsAligned(len, kPageSize) && va >= kUserMin &&
         va <= kUserEnd && len <= kUserEnd - va;
}

// Leaf flags a caller may ask for: no address bits, and no bit 7 (PAT in a 4 KiB entry; the
// kernel does not program the PAT, so asking for it is a mistake).
bool IsLeafFlags(u64 flags) { return (flags & (pte::kAddressMask | pte::kHuge)) == 0; }

// The walker never creates large pages in the user half, so one there is a kernel bug.
[[noreturn]] void HugeEntry(PageTableRoot root, u64 va, int level, u64 entry) {
  kernel::Panic(
      "page_table: root %#lx va %#lx: a large page at level %d (entry %#lx) in the "
      "user half",
      root.pml4, va, level, entry);
}

// The table holding the leaf entry for `va`, or nullptr when an intermediate table is missing.
// path[level] receives the table at each level (path[0] is the page table).
u64* FindLeafTable(PageTableRoot root, u64 va, PhysAddr path[kPageTableLevels]) {
  PhysAddr table = root.pml4;
  for (int level = kPageTableLevels - 1; level > 0; --level) {
    path[level] = table;
    u64 e = Load(&TableAt(table)[EntryIndex(va, level)]);
    if ((e & pte::kPresent) == 0) return nullptr;
    if ((e & pte::kHuge) != 0) HugeEntry(root, va, level, e);
    table = e & pte::kAddressMask;
  }
  path[0] = table;
  return TableAt(table);
}

bool IsEmpty(PhysAddr table) {
  const u64* t = TableAt(table);
  for (usize i = 0; i < kEntriesPerTable; ++i) {
    if (Load(&t[i]) != 0) return false;
  }
  return true;
}

// Removes the entry for `va` at `level` in `parent`, which points to the now empty `table`,
// and frees that table once the backend has dropped any cached copy of the entry.
void FreeEmptyTable(PageTableRoot root, const TlbSync& sync, PhysAddr parent, int level, u64 va) {
  u64* slot = &TableAt(parent)[EntryIndex(va, level)];
  u64 old = Exchange(slot, 0);
  sync.Invalidate(root, va, level, old, 0);
  hooks::FreePageTablePage(old & pte::kAddressMask);
}

// After the leaf for `va` went away: frees the page table, then the directory, then the
// pointer table, for as long as each is empty. The PML4 stays.
void PruneEmpty(PageTableRoot root, const TlbSync& sync, const PhysAddr path[kPageTableLevels],
                u64 va) {
  for (int level = 0; level < kPageTableLevels - 1; ++level) {
    if (!IsEmpty(path[level])) return;
    FreeEmptyTable(root, sync, path[level + 1], level + 1, va);
  }
}

struct RangeWalk {
  PageTableRoot root;
  const TlbSync* sync;  // null for a read-only walk (ForEach)
  PteVisitor visit;
  void* cookie;
  bool stopped = false;
};

// Walks [start, end) inside the table at `level` whose first entry maps `base`. Unmapping
// walks clear leaves and free tables that end up empty.
void WalkRange(RangeWalk& w, PhysAddr table, int level, u64 base, u64 start, u64 end) {
  u64* t = TableAt(table);
  const u64 span = EntrySpan(level);
  for (unsigned i = EntryIndex(start, level); i < kEntriesPerTable && !w.stopped; ++i) {
    u64 entry_va = base + i * span;
    if (entry_va >= end) break;
    u64 e = Load(&t[i]);
    if (level == 0) {
      if (e == 0) continue;
      if (w.sync != nullptr) {
        e = Exchange(&t[i], 0);
        if ((e & pte::kPresent) != 0) w.sync->Invalidate(w.root, entry_va, 0, e, 0);
      }
      if (w.visit != nullptr && !w.visit(w.cookie, entry_va, ToTranslation(e))) w.stopped = true;
      continue;
    }
    if ((e & pte::kPresent) == 0) continue;
    if ((e & pte::kHuge) != 0) HugeEntry(w.root, entry_va, level, e);
    PhysAddr child = e & pte::kAddressMask;
    u64 sub_start = start > entry_va ? start : entry_va;
    u64 sub_end = end < entry_va + span ? end : entry_va + span;
    WalkRange(w, child, level - 1, entry_va, sub_start, sub_end);
    if (w.sync != nullptr && IsEmpty(child))
      FreeEmptyTable(w.root, *w.sync, table, level, entry_va);
  }
}

void FreeSubtree(PhysAddr table, int level) {
  if (level > 0) {
    const u64* t = TableAt(table);
    for (usize i = 0; i < kEntriesPerTable; ++i) {
      u64 e = Load(&t[i]);
      if ((e & pte::kPresent) != 0 && (e & pte::kHuge) == 0) {
        FreeSubtree(e & pte::kAddressMask, level - 1);
      }
    }
  }
  hooks::FreePageTablePage(table);
}

}  // namespace

u64 ReadEntry(PhysAddr table, unsigned index) { return Load(&TableAt(table)[index]); }

Result<PageTableRoot> PageTable::CreateRoot() {
  PhysAddr pml4 = TRY(hooks::AllocPageTablePage());
  return PageTableRoot{pml4};
}

void PageTable::Destroy(PageTableRoot root) {
  if (!root.valid()) return;
  u64* pml4 = TableAt(root.pml4);
  for (unsigned i = 0; i < EntryIndex(kUserEnd - 1, 3) + 1; ++i) {
    u64 e = Load(&pml4[i]);
    if ((e & pte::kPresent) != 0) FreeSubtree(e & pte::kAddressMask, 2);
  }
  hooks::FreePageTablePage(root.pml4);
}

Result<void> PageTable::Map(u64 va, PhysAddr pa, u64 flags) {
  if (!root_.valid() || !IsUserPage(va) || !IsLeafFlags(flags) || pa == 0 ||
      (pa & ~pte::kAddressMask) != 0) {
    return kernel::Errno::kEINVAL;
  }
  // Tables created on the way down, so that a later ENOMEM can take them back out.
  // The table holding each created table's entry is the previously created one, or the
  // existing table above the first; undoing in reverse order empties them bottom up.
  PhysAddr created_parent[kPageTableLevels - 1];
  int created_level[kPageTableLevels - 1];
  int n = 0;
  PhysAddr table = root_.pml4;
  for (int level = kPageTableLevels - 1; level > 0; --level) {
    u64* slot = &TableAt(table)[EntryIndex(va, level)];
    u64 e = Load(slot);
    if ((e & pte::kPresent) == 0) {
      auto fresh = hooks::AllocPageTablePage();
      if (fresh.is_error()) {
        // The entries were present, so a speculative walk may have cached them: the same
        // invalidate-then-free as any emptied table.
        while (n > 0) {
          --n;
          FreeEmptyTable(root_, sync_, created_parent[n], created_level[n], va);
        }
        return fresh.error();
      }
      e = fresh.value() | kTableEntryFlags;
      Store(slot, e);
      created_parent[n] = table;
      created_level[n] = level;
      ++n;
    } else if ((e & pte::kHuge) != 0) {
      HugeEntry(root_, va, level, e);
    }
    table = e & pte::kAddressMask;
  }
  u64 entry = pa | flags;
  u64 old = Exchange(&TableAt(table)[EntryIndex(va, 0)], entry);
  if ((old & pte::kPresent) != 0 && old != entry) sync_.Invalidate(root_, va, 0, old, entry);
  return kernel::Ok();
}

Result<Translation> PageTable::Unmap(u64 va) {
  if (!root_.valid() || !IsUserPage(va)) return kernel::Errno::kEINVAL;
  PhysAddr path[kPageTableLevels];
  u64* leaf_table = FindLeafTable(root_, va, path);
  if (leaf_table == nullptr) return kernel::Errno::kENOENT;
  u64* slot = &leaf_table[EntryIndex(va, 0)];
  if (Load(slot) == 0) return kernel::Errno::kENOENT;
  u64 old = Exchange(slot, 0);
  if ((old & pte::kPresent) != 0) sync_.Invalidate(root_, va, 0, old, 0);
  PruneEmpty(root_, sync_, path, va);
  return ToTranslation(old);
}

Result<void> PageTable::UnmapRange(u64 va, u64 len, PteVisitor visit, void* cookie) {
  if (!root_.valid() || !IsUserRange(va, len)) return kernel::Errno::kEINVAL;
  if (len == 0) return kernel::Ok();
  RangeWalk w{root_, &sync_, visit, cookie};
  WalkRange(w, root_.pml4, kPageTableLevels - 1, 0, va, va + len);
  return kernel::Ok();
}

Result<void> PageTable::Protect(u64 va, u64 flags) {
  if (!root_.valid() || !IsUserPage(va) || !IsLeafFlags(flags)) return kernel::Errno::kEINVAL;
  PhysAddr path[kPageTableLevels];
  u64* leaf_table = FindLeafTable(root_, va, path);
  if (leaf_table == nullptr) return kernel::Errno::kENOENT;
  u64* slot = &leaf_table[EntryIndex(va, 0)];
  u64 old = Load(slot);
  if (old == 0) return kernel::Errno::kENOENT;
  // The accessed and dirty bits are the hardware's report, not a permission: keep them, as
  // Linux's pte_modify does, so that write-back still sees a dirty page.
  u64 entry = (old & pte::kAddressMask) | flags | (old & kHardwareKept);
  old = Exchange(slot, entry);
  if ((old & pte::kPresent) != 0 && old != entry) sync_.Invalidate(root_, va, 0, old, entry);
  return kernel::Ok();
}

Result<Translation> PageTable::Query(u64 va) const {
  if (!root_.valid() || !IsUserPage(va)) return kernel::Errno::kEINVAL;
  PhysAddr path[kPageTableLevels];
  u64* leaf_table = FindLeafTable(root_, va, path);
  if (leaf_table == nullptr) return kernel::Errno::kENOENT;
  u64 e = Load(&leaf_table[EntryIndex(va, 0)]);
  if (e == 0) return kernel::Errno::kENOENT;
  return ToTranslation(e);
}

Result<void> PageTable::ForEach(u64 va, u64 len, PteVisitor visit, void* cookie) const {
  if (!root_.valid() || !IsUserRange(va, len) || visit == nullptr) return kernel::Errno::kEINVAL;
  if (len == 0) return kernel::Ok();
  RangeWalk w{root_, nullptr, visit, cookie};
  WalkRange(w, root_.pml4, kPageTableLevels - 1, 0, va, va + len);
  return kernel::Ok();
}

}  // namespace hal::common
