// hostsim's Mmu: the shared page-table walker over the memfd arena. In scripted mode there is
// no TLB (the software MMU walks the tables on every access), so invalidation only matters to
// an AddressSpaceObserver, which native mode installs to keep its stub's mappings in step.
#include <hal/mmu.h>

#include "hal/common/page_table.h"
#include "hal/hostsim/address_space_observer.h"

namespace hal::hostsim {
namespace {

PageTableRoot g_active;
AddressSpaceObserver* g_observer = nullptr;

Translation AsTranslation(u64 entry) {
  return Translation{entry & pte::kAddressMask, entry & pte::kFlagsMask};
}

void Invalidate(void*, PageTableRoot root, u64 va, int level, u64 old_entry, u64 new_entry) {
  // Only leaves are mirrored; intermediate tables have no counterpart in the stub.
  if (g_observer == nullptr || level != 0) return;
  bool same_frame = (old_entry & pte::kAddressMask) == (new_entry & pte::kAddressMask);
  if ((new_entry & pte::kPresent) != 0 && same_frame) {
    g_observer->OnProtect(root, va, AsTranslation(old_entry), AsTranslation(new_entry));
  } else {
    g_observer->OnUnmap(root, va, AsTranslation(old_entry));
  }
}

common::PageTable Table(PageTableRoot root) {
  return common::PageTable(root, common::TlbSync{&Invalidate, nullptr});
}

}  // namespace

void SetAddressSpaceObserver(AddressSpaceObserver* observer) { g_observer = observer; }

Result<PageTableRoot> Mmu::CreateAddressSpace() {
  // hostsim's kernel runs in the host process, not in the page tables: there is no kernel
  // half to share.
  return common::PageTable::CreateRoot();
}

void Mmu::DestroyAddressSpace(PageTableRoot root) {
  if (root == g_active && root.valid()) {
    kernel::Panic("hostsim: DestroyAddressSpace(%#lx): the address space is active", root.pml4);
  }
  if (g_observer != nullptr && root.valid()) g_observer->OnDestroy(root);
  common::PageTable::Destroy(root);
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

void Mmu::Activate(PageTableRoot root) { g_active = root; }

PageTableRoot Mmu::Active() { return g_active; }

}  // namespace hal::hostsim
