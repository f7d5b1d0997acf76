#pragma once
/// The mmu concern: x86_64 4-level page tables for user address spaces, and activating them.
/// The entry format and the walker are plain code shared by both backends (hal/common/
/// page_table.h); a backend adds only what touches hardware: CR3 and TLB invalidation on
/// x86_64, the stub's mappings and the software MMU on hostsim.
///
/// Every call that can leave a stale translation (Unmap*, Protect*, Map over a present entry)
/// invalidates it itself, so the kernel never has to remember a flush.
#include <concepts>

#include <hal/types.h>

#include "kernel/lib/result.h"

namespace hal {

using kernel::PhysAddr;
using kernel::Result;

/// Page-table entry bits [intel-sdm 3 §4.5, table 4-19]. Bits 9-11 are free for the kernel.
namespace pte {
inline constexpr u64 kPresent = 1ull << 0;
inline constexpr u64 kWritable = 1ull << 1;
inline constexpr u64 kUser = 1ull << 2;
inline constexpr u64 kWriteThrough = 1ull << 3;
inline constexpr u64 kCacheDisable = 1ull << 4;
inline constexpr u64 kAccessed = 1ull << 5;
inline constexpr u64 kDirty = 1ull << 6;
inline constexpr u64 kHuge = 1ull << 7;  ///< PS in a PDE/PDPTE
inline constexpr u64 kGlobal = 1ull << 8;
inline constexpr u64 kSoftware0 = 1ull << 9;  ///< available to the kernel (e.g. copy-on-write)
inline constexpr u64 kSoftware1 = 1ull << 10;
inline constexpr u64 kSoftware2 = 1ull << 11;
inline constexpr u64 kNoExecute = 1ull << 63;
inline constexpr u64 kAddressMask = 0x000f'ffff'ffff'f000ull;
/// The bits a caller may pass as mapping flags; the address bits come from the frame.
inline constexpr u64 kFlagsMask = ~kAddressMask;
}  // namespace pte

/// The root of an address space: the physical address of its PML4.
struct PageTableRoot {
  PhysAddr pml4 = 0;
  bool valid() const { return pml4 != 0; }
  bool operator==(const PageTableRoot&) const = default;
};

/// A leaf translation: the frame and the PTE flag bits (pte::*).
struct Translation {
  PhysAddr phys;
  u64 flags;
};

/// The lowest and highest canonical user addresses (47-bit user half). User mappings live in
/// [kUserMin, kUserEnd); everything above belongs to the kernel.
inline constexpr u64 kUserMin = 0x1000;
inline constexpr u64 kUserEnd = 0x0000'8000'0000'0000ull;

/// Called for each present leaf in a range: (virtual address, translation). Return false to stop.
using PteVisitor = bool (*)(void* cookie, u64 va, const Translation& t);

template <typename T>
concept MmuBackend = requires(PageTableRoot root, u64 va, u64 len, PhysAddr pa, u64 flags,
                              PteVisitor visit, void* cookie) {
  /// A new, empty user address space (on x86_64 it shares the kernel half). ENOMEM on failure.
  { T::CreateAddressSpace() } -> std::same_as<Result<PageTableRoot>>;
  /// Free every page-table page of `root` (not the frames it maps; the kernel owns those).
  { T::DestroyAddressSpace(root) } -> std::same_as<void>;
  /// Map one 4 KiB page. EINVAL: unaligned or non-canonical or kernel address. ENOMEM: no table.
  { T::Map(root, va, pa, flags) } -> std::same_as<Result<void>>;
  /// Remove the mapping of one page; returns what was mapped, ENOENT when nothing was.
  { T::Unmap(root, va) } -> std::same_as<Result<Translation>>;
  /// Remove every mapping in [va, va+len); calls `visit` (may be null) for each once it is gone
  /// and invalidated, so the visitor may free the frame. A visitor returning false stops there.
  { T::UnmapRange(root, va, len, visit, cookie) } -> std::same_as<Result<void>>;
  /// Replace the flags of a mapped page (keeping its frame and its accessed/dirty bits).
  /// ENOENT when nothing is mapped there.
  { T::Protect(root, va, flags) } -> std::same_as<Result<void>>;
  /// The translation of one page. ENOENT when nothing is mapped there.
  { T::Query(root, va) } -> std::same_as<Result<Translation>>;
  /// Visit every mapped leaf in [va, va+len) in address order. A mapped leaf is a non-zero
  /// entry: one without pte::kPresent (PROT_NONE) keeps its frame and faults on access.
  { T::ForEach(root, va, len, visit, cookie) } -> std::same_as<Result<void>>;
  /// Make `root` the address space that user code and user copies see.
  { T::Activate(root) } -> std::same_as<void>;
  { T::Active() } -> std::same_as<PageTableRoot>;
};

}  // namespace hal

#include <hal/backend/mmu.h>

namespace hal {
static_assert(MmuBackend<MmuImpl>, "the HAL backend's mmu does not meet the contract");
using Mmu = MmuImpl;
}  // namespace hal
