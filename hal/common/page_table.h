#pragma once
/// The x86_64 4-level page-table format and its walker, as plain code with no privileged
/// instruction, shared by hal/x86_64 and hal/hostsim [intel-sdm 3 §4.5]. It manages the user
/// half of an address space (PML4 entries 0..255); a backend wraps it with what touches its
/// hardware (CR3 and invlpg, or the hostsim stub's mappings) through a TlbSync.
///
/// Table pages come from hal::hooks::AllocPageTablePage and go back through
/// FreePageTablePage as soon as a table becomes empty, or when the address space is destroyed.
/// Intermediate entries are always user|writable|present, so the leaf alone decides access.
///
/// A leaf is *mapped* when its entry is non-zero. A mapped leaf without pte::kPresent keeps its
/// frame but faults on every access: that is how PROT_NONE pages keep their contents, as on
/// Linux. Map/Protect accept such flags; Query, ForEach and UnmapRange report such leaves.
///
/// Errors: EINVAL for an unaligned, non-canonical, kernel-half or below-kUserMin address, an
/// unaligned or oversized frame, or flags with address bits or PS/PAT; ENOENT when nothing is
/// mapped; ENOMEM when a table page cannot be had, with nothing allocated left behind.
#include <hal/mmu.h>

namespace hal::common {

/// The walker's geometry: level 3 is the PML4, level 0 the page table.
inline constexpr int kPageTableLevels = 4;
inline constexpr usize kEntriesPerTable = 512;

/// The bytes of address space one entry at `level` maps (4 KiB, 2 MiB, 1 GiB, 512 GiB).
constexpr u64 EntrySpan(int level) { return u64{1} << (12 + 9 * level); }
/// The index of `va`'s entry in the table at `level`.
constexpr unsigned EntryIndex(u64 va, int level) {
  return static_cast<unsigned>((va >> (12 + 9 * level)) & 511);
}
/// Bits 63..47 all equal bit 47 [intel-sdm 1 §3.3.7.1].
constexpr bool IsCanonical(u64 va) {
  u64 top = va >> 47;
  return top == 0 || top == 0x1ffff;
}
/// The flags of every intermediate entry the walker creates.
inline constexpr u64 kTableEntryFlags = pte::kPresent | pte::kWritable | pte::kUser;

/// One entry of the table at physical address `table` (through the direct map).
u64 ReadEntry(PhysAddr table, unsigned index);

/// How a backend learns that an entry the hardware may cache has changed: called after the
/// entry is written, for every entry that was present before. `level` 0 is a leaf (`new_entry`
/// 0 when unmapped); a higher level is an intermediate entry removed before its table is freed
/// (x86_64 must invalidate the paging-structure caches before that page is reused).
struct TlbSync {
  void (*invalidate)(void* ctx, PageTableRoot root, u64 va, int level, u64 old_entry,
                     u64 new_entry) = nullptr;
  void* ctx = nullptr;

  void Invalidate(PageTableRoot root, u64 va, int level, u64 old_entry, u64 new_entry) const {
    if (invalidate != nullptr) invalidate(ctx, root, va, level, old_entry, new_entry);
  }
};

/// Operations on the user half of one address space. Cheap to construct; holds no state of
/// its own beyond the root. Callers serialise operations on one root.
class PageTable {
 public:
  explicit PageTable(PageTableRoot root, TlbSync sync = {}) : root_(root), sync_(sync) {}

  /// A new, empty PML4. ENOMEM when no page is left.
  static Result<PageTableRoot> CreateRoot();
  /// Frees every table of the user half and the PML4 itself (never the frames the leaves map,
  /// nor the kernel half's tables, which are shared). The root must not be in use.
  static void Destroy(PageTableRoot root);

  /// Maps the 4 KiB page at `va` to `pa` with `flags` (pte::*), replacing any mapping there.
  Result<void> Map(u64 va, PhysAddr pa, u64 flags);
  /// Removes the mapping of the page at `va` and returns it; ENOENT when there was none.
  Result<Translation> Unmap(u64 va);
  /// Removes every mapping in [va, va+len) (both page aligned) in address order, calling
  /// `visit` (may be null) for each after it is gone and invalidated, so the visitor may free
  /// the frame. A visitor returning false stops the walk; later pages stay mapped.
  Result<void> UnmapRange(u64 va, u64 len, PteVisitor visit, void* cookie);
  /// Replaces the flags of the mapping at `va`, keeping its frame and the hardware-maintained
  /// accessed and dirty bits. ENOENT when nothing is mapped.
  Result<void> Protect(u64 va, u64 flags);
  /// The mapping of the page at `va`; ENOENT when there is none.
  Result<Translation> Query(u64 va) const;
  /// Visits every mapped leaf in [va, va+len) in address order until `visit` returns false.
  Result<void> ForEach(u64 va, u64 len, PteVisitor visit, void* cookie) const;

  PageTableRoot root() const { return root_; }

 private:
  PageTableRoot root_;
  TlbSync sync_;
};

}  // namespace hal::common
