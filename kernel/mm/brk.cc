// brk(2): the heap after the program image, grown and shrunk one VMA ([heap]) at a time; it
// never overlaps another mapping and keeps a page of gap below the next one
// [linux mm/mmap.c SYSCALL_DEFINE1(brk)].
#include "kernel/lib/alloc.h"
#include "kernel/mm/address_space.h"

namespace kernel::mm {

u64 AddressSpace::Brk(u64 requested) {
  if (requested < brk_start_ || requested > kTaskSize) return brk_;
  const u64 old_end = AlignUp(brk_, kPageSize);
  const u64 new_end = AlignUp(requested, kPageSize);
  if (new_end == old_end) {
    brk_ = requested;
    return brk_;
  }
  if (new_end < old_end) {
    if (Unmap(new_end, old_end - new_end).is_error()) return brk_;
    brk_ = requested;
    return brk_;
  }
  // Growing: [old_end, new_end) and the guard page after it must be free.
  if (new_end > kTaskSize - kBrkGuardGap) return brk_;
  if (IsObviousOvercommit(new_end - old_end)) return brk_;
  if (vmas_.FindFirstOverlap(old_end, new_end + kBrkGuardGap) != nullptr) return brk_;
  Vma* heap = old_end > brk_start_ ? vmas_.FindContaining(old_end - 1) : nullptr;
  if (heap != nullptr && (heap->flags & vma_flags::kHeap) != 0 && heap->end() == old_end) {
    if (vmas_.UpdateRange(*heap, heap->start(), new_end).is_error()) return brk_;
  } else {
    auto v = lib::TryNew<Vma>();
    if (v.is_error()) return brk_;
    Vma* vma = v.value();
    vma->prot = prot::kRead | prot::kWrite;
    vma->flags = vma_flags::kHeap;
    InsertVma(vma, old_end, new_end);
  }
  brk_ = requested;
  return brk_;
}

}  // namespace kernel::mm
