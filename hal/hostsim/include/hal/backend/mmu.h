#pragma once
// hostsim mmu backend: the shared page-table code; no TLB in scripted mode, the stub's
// mappings in native mode.
namespace hal::hostsim {

struct Mmu {
  static Result<PageTableRoot> CreateAddressSpace();
  static void DestroyAddressSpace(PageTableRoot root);
  static Result<void> Map(PageTableRoot root, u64 va, PhysAddr pa, u64 flags);
  static Result<Translation> Unmap(PageTableRoot root, u64 va);
  static Result<void> UnmapRange(PageTableRoot root, u64 va, u64 len, PteVisitor visit,
                                 void* cookie);
  static Result<void> Protect(PageTableRoot root, u64 va, u64 flags);
  static Result<Translation> Query(PageTableRoot root, u64 va);
  static Result<void> ForEach(PageTableRoot root, u64 va, u64 len, PteVisitor visit, void* cookie);
  static void Activate(PageTableRoot root);
  static PageTableRoot Active();
};

}  // namespace hal::hostsim

namespace hal {
using MmuImpl = hostsim::Mmu;
}
