#pragma once
/// A Vma is one mapping of an address space: a page-aligned range [start, end) with one
/// protection and one backing, kept in the address space's interval tree (lib::IntrusiveTree).
///
/// Backing: private anonymous memory has no object; everything else maps pages of a
/// MemoryObject, page `pgoff` of the object at `start`. Splitting a VMA (mprotect, munmap or
/// MAP_FIXED over part of it) keeps `pgoff` right for the upper half: pgoff + (at - start) / 4096.
#include <hal/mmu.h>

#include "kernel/lib/intrusive_tree.h"
#include "kernel/lib/ref_ptr.h"
#include "kernel/mm/memory_object.h"
#include "kernel/mm/mman.h"

namespace kernel::mm {

/// Vma::flags.
namespace vma_flags {
inline constexpr u32 kShared = 1u << 0;      ///< MAP_SHARED: writes go to the object
inline constexpr u32 kGrowsDown = 1u << 1;   ///< a stack: faults just below extend it
inline constexpr u32 kStack = 1u << 2;       ///< the initial stack ("[stack]")
inline constexpr u32 kHeap = 1u << 3;        ///< the brk heap ("[heap]")
inline constexpr u32 kDontFork = 1u << 4;    ///< MADV_DONTFORK: not inherited
inline constexpr u32 kWipeOnFork = 1u << 5;  ///< MADV_WIPEONFORK: the child sees zeroes
inline constexpr u32 kNoReserve = 1u << 6;   ///< MAP_NORESERVE (no commit accounting)
inline constexpr u32 kLocked = 1u << 7;      ///< MAP_LOCKED / mlock (no paging out: a no-op)
inline constexpr u32 kVdso = 1u << 8;        ///< the vDSO's code ("[vdso]", kernel/vdso)
inline constexpr u32 kVvar = 1u << 9;        ///< the vDSO's data page ("[vvar]", kernel/vdso)
}  // namespace vma_flags

/// Software bits of a user PTE (hal::pte::kSoftware*), owned by kernel/mm.
namespace pte_sw {
/// The frame belongs to a MemoryObject (a page cache, shared anonymous memory), not to this
/// mapping alone: a private mapping never writes it in place, even when it holds the only
/// reference.
inline constexpr u64 kObjectPage = hal::pte::kSoftware0;
}  // namespace pte_sw

struct Vma {
  lib::TreeNode node;
  u32 prot = 0;                      ///< prot::kRead | kWrite | kExec
  u32 flags = 0;                     ///< vma_flags::*
  u64 pgoff = 0;                     ///< page index in `object` of the page at start()
  lib::RefPtr<MemoryObject> object;  ///< null for private anonymous memory

  u64 start() const { return node.start(); }
  u64 end() const { return node.end(); }
  u64 size() const { return end() - start(); }
  bool shared() const { return (flags & vma_flags::kShared) != 0; }
  bool anonymous() const { return object.get() == nullptr; }
  /// The object page that backs address `va` (inside the VMA).
  u64 PageIndex(u64 va) const { return pgoff + (va - start()) / kPageSize; }
  /// Whether the access described by x86 #PF bits is allowed by `prot`. x86 pages cannot be
  /// write-only or execute-only: any access right lets the page be read [man 2 mmap NOTES].
  bool Allows(bool write, bool exec) const;
  /// The PTE flags for a page of this VMA. Private pages are mapped writable only when the
  /// caller knows the frame is this mapping's alone (`exclusive`); otherwise the first write
  /// faults and copies (or, for a sole anonymous owner, just regains write access).
  u64 PteFlags(bool exclusive) const;
  /// True when `other` (starting at end()) could be one VMA with this one.
  bool CanMergeWith(const Vma& next) const;
};

using VmaTree = lib::IntrusiveTree<Vma, &Vma::node>;

}  // namespace kernel::mm
