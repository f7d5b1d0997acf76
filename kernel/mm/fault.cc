// Page faults: demand paging of anonymous and object-backed memory, copy-on-write, stack
// growth; and the two ways a fault reaches here (user mode, and a kernel user copy).
#include "kernel/mm/fault.h"

#include <hal/cpu.h>
#include <hal/phys.h>

#include "kernel/mm/address_space.h"
#include "kernel/mm/page_alloc.h"
#include "kernel/proc/scheduler.h"
#include "kernel/proc/task.h"

namespace kernel::mm {
namespace {

void CopyPage(PhysAddr dst, PhysAddr src) {
  __builtin_memcpy(hal::Phys::ToVirt(dst), hal::Phys::ToVirt(src), kPageSize);
}

}  // namespace

Vma* AddressSpace::ExpandStack(u64 va) {
  Vma* next = vmas_.FindFirstEndAfter(va);
  if (next == nullptr || (next->flags & vma_flags::kGrowsDown) == 0) return nullptr;
  u64 new_start = AlignDown(va, kPageSize);
  if (new_start < kMmapMinAddr || next->end() - new_start > stack_limit_) return nullptr;
  // Keep the guard gap above whatever lies below, unless that is PROT_NONE or another stack:
  // expand_downwards only enforces it against an accessible mapping that does not grow down
  // [linux mm/mmap.c expand_downwards].
  if (Vma* prev = vmas_.Prev(*next); prev != nullptr) {
    if (prev->end() > new_start) return nullptr;
    const bool needs_gap =
        (prev->flags & vma_flags::kGrowsDown) == 0 && (prev->prot & prot::kAccess) != 0;
    if (needs_gap && new_start - prev->end() < kStackGuardGap) return nullptr;
  }
  u64 grown = (next->start() - new_start) / kPageSize;
  if (!next->anonymous()) {
    if (next->pgoff < grown) return nullptr;
    next->pgoff -= grown;
  }
  if (vmas_.UpdateRange(*next, new_start, next->end()).is_error()) return nullptr;
  return next;
}

Result<void> AddressSpace::FaultIn(Vma& vma, u64 va, bool write) {
  const u64 page = AlignDown(va, kPageSize);
  auto mapped = hal::Mmu::Query(root_, page);
  if (mapped.ok()) {
    const hal::Translation t = mapped.value();
    const u64 object_bit = t.flags & pte_sw::kObjectPage;
    const bool exclusive = !vma.shared() && object_bit == 0 && PageRefCount(t.phys) == 1;
    if (vma.shared() || !write || exclusive) {
      // Present already (a spurious or PROT_NONE-era fault), or a sole owner writing: the
      // right flags are all it takes.
      u64 flags = vma.PteFlags(exclusive) | object_bit;
      if ((t.flags & ~(hal::pte::kAccessed | hal::pte::kDirty)) != flags) {
        TRY(hal::Mmu::Protect(root_, page, flags));
      }
      return Ok();
    }
    // Copy-on-write: the frame is shared with another mapping or belongs to an object.
    PhysAddr copy = TRY(AllocPage());
    CopyPage(copy, t.phys);
    if (auto r = hal::Mmu::Map(root_, page, copy, vma.PteFlags(true)); r.is_error()) {
      FreePage(copy);
      return r.error();
    }
    PutPage(t.phys);
    return Ok();
  }

  PhysAddr pa;
  u64 flags;
  if (vma.anonymous()) {
    pa = TRY(AllocZeroedPage());
    flags = vma.PteFlags(true);
  } else {
    PhysAddr object_page = TRY(vma.object->GetPage(vma.PageIndex(page)));
    if (vma.shared() || !write) {
      pa = object_page;
      flags = vma.PteFlags(false) | pte_sw::kObjectPage;
    } else {
      auto copy = AllocPage();
      if (copy.is_error()) {
        PutPage(object_page);
        return copy.error();
      }
      pa = copy.value();
      CopyPage(pa, object_page);
      PutPage(object_page);
      flags = vma.PteFlags(true);
    }
  }
  if (auto r = hal::Mmu::Map(root_, page, pa, flags); r.is_error()) {
    PutPage(pa);
    return r.error();
  }
  return Ok();
}

Result<void> AddressSpace::HandleFault(u64 va, u64 error_code) {
  if ((error_code & hal::pf::kReserved) != 0) return Errno::kEFAULT;
  if (va >= kTaskSize) return Errno::kEFAULT;
  Vma* vma = FindVma(va);
  if (vma == nullptr) vma = ExpandStack(va);
  if (vma == nullptr) return Errno::kEFAULT;
  const bool write = (error_code & hal::pf::kWrite) != 0;
  const bool exec = (error_code & hal::pf::kInstruction) != 0;
  if (!vma->Allows(write, exec)) return Errno::kEACCES;
  return FaultIn(*vma, va, write);
}

Result<void> AddressSpace::Populate(u64 addr, u64 length, bool write) {
  for (u64 va = addr; va < addr + length; va += kPageSize) {
    Vma* vma = FindVma(va);
    if (vma == nullptr) return Errno::kENOMEM;
    if (!vma->Allows(write, false)) return Errno::kEFAULT;
    if (auto t = hal::Mmu::Query(root_, va); t.ok()) {
      bool present = (t.value().flags & hal::pte::kPresent) != 0;
      bool writable = (t.value().flags & hal::pte::kWritable) != 0;
      if (present && (!write || writable)) continue;
    }
    TRY(FaultIn(*vma, va, write));
  }
  return Ok();
}

Result<void> HandleUserPageFault(proc::Task& task, u64 address, u64 error_code) {
  AddressSpace* as = task.address_space();
  if (as == nullptr) return Errno::kEFAULT;
  return as->HandleFault(address, error_code);
}

bool HandleKernelUserFault(u64 address, u64 error_code) {
  proc::Task* task = proc::sched::Current();
  if (task == nullptr) return false;
  return HandleUserPageFault(*task, address, error_code).ok();
}

}  // namespace kernel::mm
