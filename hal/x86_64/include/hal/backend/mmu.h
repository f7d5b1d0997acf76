#pragma once
// x86_64 mmu backend: the shared page-table code plus CR3 and invlpg.
namespace hal::x86_64 {

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

}  // namespace hal::x86_64

namespace hal {
using MmuImpl = x86_64::Mmu;
}
