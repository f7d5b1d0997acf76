// fork's copy of an address space: every VMA is copied; private pages become shared and
// read-only in both parent and child (the first write copies, or just takes write access
// back when the writer is the last owner: kernel/mm/fault.cc); shared pages are shared.
#include "kernel/lib/alloc.h"
#include "kernel/mm/address_space.h"
#include "kernel/mm/page_alloc.h"

namespace kernel::mm {
namespace {

struct ForkCtx {
  hal::PageTableRoot parent;
  hal::PageTableRoot child;
  bool shared;
  bool failed;
};

bool CopyPte(void* cookie, u64 va, const hal::Translation& t) {
  auto* c = static_cast<ForkCtx*>(cookie);
  u64 flags = t.flags & ~(hal::pte::kAccessed | hal::pte::kDirty);
  if (!c->shared && (flags & hal::pte::kWritable) != 0) {
    flags &= ~hal::pte::kWritable;
    // Cannot fail: the page is mapped, so its tables exist.
    (void)hal::Mmu::Protect(c->parent, va, flags);
  }
  if (hal::Mmu::Map(c->child, va, t.phys, flags).is_error()) {
    c->failed = true;
    return false;
  }
  GetPage(t.phys);
  return true;
}

}  // namespace

Result<lib::RefPtr<AddressSpace>> AddressSpace::Fork() {
  lib::RefPtr<AddressSpace> child = TRY(Create());
  child->brk_start_ = brk_start_;
  child->brk_ = brk_;
  child->mmap_base_ = mmap_base_;
  child->stack_top_ = stack_top_;
  child->exec_strings_ = exec_strings_;
  child->stack_limit_ = stack_limit_;
  for (const Vma& v : vmas_) {
    if ((v.flags & vma_flags::kDontFork) != 0) continue;
    Vma* copy = TRY(lib::TryNew<Vma>());
    copy->prot = v.prot;
    copy->flags = v.flags;
    copy->object = v.object;
    copy->pgoff = v.pgoff;
    child->InsertVma(copy, v.start(), v.end());
    // MADV_WIPEONFORK: the child starts with nothing mapped there, so it reads zeroes.
    if ((v.flags & vma_flags::kWipeOnFork) != 0) continue;
    ForkCtx ctx{root_, child->root_, v.shared(), false};
    (void)hal::Mmu::ForEach(root_, v.start(), v.size(), &CopyPte, &ctx);
    // The child (and every page reference it took) goes away with `child` on failure.
    if (ctx.failed) return Errno::kENOMEM;
  }
  return child;
}

}  // namespace kernel::mm
