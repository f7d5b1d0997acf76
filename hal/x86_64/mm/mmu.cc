// x86_64's Mmu: the shared page-table walker plus what touches the hardware, CR3 and INVLPG.
// One CPU for now: only the active address space can be in the TLB, and loading CR3 drops
// every non-global translation (no PCIDs), so an inactive root needs no invalidation.
#include <hal/mmu.h>
#include <hal/phys.h>

#include "hal/common/page_table.h"
#include "hal/x86_64/boot/kernel_map.h"
#include "hal/x86_64/cpu/x86.h"

namespace hal::x86_64 {
namespace {

// CR3 bits 12..51 hold the PML4's frame; the low bits are PWT/PCD (or the PCID) [intel-sdm 3
// §4.5.2].
PhysAddr ActivePml4() { return ReadCr3() & pte::kAddressMask; }

void Invlpg(u64 va) { asm volatile("invlpg (%0)" ::"r"(va) : "memory"); }

void Invalidate(void*, PageTableRoot root, u64 va, int, u64, u64) {
  // INVLPG drops the TLB entry for `va` and every paging-structure-cache entry of the current
  // PCID [intel-sdm 3 §4.10.4.1], so it also covers an intermediate table about to be freed.
  // TODO(#3): a shootdown IPI to the other CPUs once there are any.
  if (ActivePml4() == root.pml4) Invlpg(va);
}

common::PageTable Table(PageTableRoot root) {
  return common::PageTable(root, common::TlbSync{&Invalidate, nullptr});
}

}  // namespace

Result<PageTableRoot> Mmu::CreateAddressSpace() {
  PageTableRoot root = TRY(common::PageTable::CreateRoot());
  // Every address space shares the kernel half: PML4 entries 256..511 point at the kernel's
  // own PDPTs, which never gain PML4 entries after boot (kernel_map.h), so one copy stays true.
  const auto* kernel = static_cast<const u64*>(Phys::ToVirt(KernelPml4()));
  auto* fresh = static_cast<u64*>(Phys::ToVirt(root.pml4));
  for (unsigned i = common::EntryIndex(kUserEnd, 3); i < common::kEntriesPerTable; ++i) {
    fresh[i] = kernel[i];
  }
  return root;
}

void Mmu::DestroyAddressSpace(PageTableRoot root) {
  if (!root.valid()) return;
  if (ActivePml4() == root.pml4) {
    kernel::Panic("x86_64: DestroyAddressSpace(%#lx): the address space is active", root.pml4);
  }
  common::PageTable::Destroy(root);  // the user half only: the kernel half is shared
}

Result<void> Mmu::Map(PageTableRoot root, u64 va, PhysAddr pa, u64 flags) {
  return Table(root).Map(va, pa, flags);
}

Result<Translation> Mmu::Unmap(PageTableRoot root, u64 va) { return Table(root).Unmap(va); }

Result<void> Mmu::UnmapRange(PageTableRoot root, u64 va, u64 len, PteVisitor visit, void* cookie) {
  return Table(root).UnmapRange(va, len, visit, cookie);
}

Result<void> Mmu::Protect(PageTableRoot root, u64 va, u64 flags) {
  return Table(root).Protect(va, flags);
}

Result<Translation> Mmu::Query(PageTableRoot root, u64 va) { return Table(root).Query(va); }

Result<void> Mmu::ForEach(PageTableRoot root, u64 va, u64 len, PteVisitor visit, void* cookie) {
  return Table(root).ForEach(va, len, visit, cookie);
}

void Mmu::Activate(PageTableRoot root) {
  // No user address space means the kernel's own tables, which hold the kernel half only.
  PhysAddr target = root.valid() ? root.pml4 : KernelPml4();
  if (ActivePml4() != target) WriteCr3(target);
}

PageTableRoot Mmu::Active() {
  PhysAddr current = ActivePml4();
  if (current == KernelPml4()) return PageTableRoot{};
  return PageTableRoot{current};
}

}  // namespace hal::x86_64
