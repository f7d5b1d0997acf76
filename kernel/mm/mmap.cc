// mmap, munmap, mprotect and mremap on an AddressSpace. Argument checks that depend only on
// the arguments live in the system calls (kernel/syscalls/mm.cc); what depends on the
// mappings lives here, with Linux's errno for each case [linux mm/mmap.c, mm/mprotect.c,
// mm/mremap.c].
#include "kernel/lib/alloc.h"
#include "kernel/mm/address_space.h"
#include "kernel/mm/page_alloc.h"

namespace kernel::mm {

bool IsObviousOvercommit(u64 bytes) {
  // vm.overcommit_memory = 0 (OVERCOMMIT_GUESS): one request for more than all of RAM (there
  // is no swap) is refused; anything smaller is allowed and may fail at fault time
  // [linux mm/util.c __vm_enough_memory].
  return bytes / kPageSize > GetPhysStats().total_pages;
}

Result<u64> AddressSpace::Map(const MapRequest& req) {
  const u64 length = req.length;
  if (length == 0 || !IsAligned(length, kPageSize)) return Errno::kEINVAL;
  if (length > kTaskSize) return Errno::kENOMEM;
  // Memory that needs backing: private writable, and shared anonymous (shmem) mappings,
  // unless MAP_NORESERVE says the caller takes the risk (accountable_mapping).
  const bool writable = (req.prot & prot::kWrite) != 0;
  const bool accountable = req.shared ? !req.object : writable;
  if (accountable && (req.map_flags & map::kNoReserve) == 0 && IsObviousOvercommit(length)) {
    return Errno::kENOMEM;
  }

  u32 flags = req.vma_flags;
  if (req.shared) flags |= vma_flags::kShared;
  if ((req.map_flags & map::kGrowsDown) != 0) flags |= vma_flags::kGrowsDown;
  if ((req.map_flags & map::kNoReserve) != 0) flags |= vma_flags::kNoReserve;
  if ((req.map_flags & map::kLocked) != 0) flags |= vma_flags::kLocked;

  lib::RefPtr<MemoryObject> object = req.object;
  if (req.shared && !object) object = TRY(AnonObject::Create());
  Vma* vma = TRY(lib::TryNew<Vma>());
  vma->prot = req.prot & prot::kAccess;
  vma->flags = flags;
  vma->object = lib::move(object);
  vma->pgoff = req.pgoff;

  u64 addr;
  if ((req.map_flags & (map::kFixed | map::kFixedNoReplace)) != 0) {
    addr = req.addr;
    if (!IsAligned(addr, kPageSize) || addr < hal::kUserMin) {
      lib::Delete(vma);
      return Errno::kEINVAL;
    }
    if (addr > kTaskSize - length) {
      lib::Delete(vma);
      return Errno::kENOMEM;
    }
    if ((req.map_flags & map::kFixed) == 0) {
      if (vmas_.FindFirstOverlap(addr, addr + length) != nullptr) {
        lib::Delete(vma);
        return Errno::kEEXIST;
      }
    } else if (auto r = Unmap(addr, length); r.is_error()) {
      lib::Delete(vma);
      return r.error();
    }
  } else {
    auto found = FindFreeRange(length, req.addr);
    if (found.is_error()) {
      lib::Delete(vma);
      return found.error();
    }
    addr = found.value();
  }
  InsertVma(vma, addr, addr + length);
  if (vma->anonymous() && (flags & (vma_flags::kStack | vma_flags::kGrowsDown)) == 0) {
    MergeAround(vma);
  }
  if ((req.map_flags & map::kPopulate) != 0 && (req.map_flags & map::kNonBlock) == 0) {
    // As Linux, MAP_POPULATE is best effort: what cannot be populated faults later. Private
    // writable memory is populated for writing, so it needs no copy-on-write fault later.
    bool write = (req.prot & prot::kWrite) != 0 && !req.shared;
    (void)Populate(addr, length, write);
  }
  return addr;
}

Result<void> AddressSpace::Unmap(u64 addr, u64 length) {
  if (!IsAligned(addr, kPageSize) || !IsAligned(length, kPageSize)) return Errno::kEINVAL;
  if (length == 0) return Ok();
  const u64 end = addr + length;
  Vma* first = vmas_.FindFirstOverlap(addr, end);
  if (first == nullptr) return Ok();
  Vma* last = vmas_.FindContaining(end - 1);
  bool split_start = first->start() < addr;
  bool split_end = last != nullptr && last->end() > end;
  Vma* spare_start = nullptr;
  Vma* spare_end = nullptr;
  if (split_start) spare_start = TRY(lib::TryNew<Vma>());
  if (split_end) {
    auto v = lib::TryNew<Vma>();
    if (v.is_error()) {
      lib::Delete(spare_start);
      return Errno::kENOMEM;
    }
    spare_end = v.value();
  }
  if (split_start) SplitAt(*first, addr, spare_start);
  if (split_end) SplitAt(*vmas_.FindContaining(end - 1), end, spare_end);
  RemoveRange(addr, end);
  return Ok();
}

void AddressSpace::RefreshPteFlags(const Vma& vma) {
  struct Ctx {
    AddressSpace* as;
    const Vma* vma;
  } ctx{this, &vma};
  (void)hal::Mmu::ForEach(
      root_, vma.start(), vma.size(),
      [](void* c, u64 va, const hal::Translation& t) {
        auto* x = static_cast<Ctx*>(c);
        bool object_page = (t.flags & pte_sw::kObjectPage) != 0;
        bool exclusive = !object_page && PageRefCount(t.phys) == 1;
        u64 flags = x->vma->PteFlags(exclusive) | (t.flags & pte_sw::kObjectPage);
        constexpr u64 kHardwareOwned = hal::pte::kAccessed | hal::pte::kDirty;
        if ((t.flags & ~kHardwareOwned) != flags) (void)hal::Mmu::Protect(x->as->root_, va, flags);
        return true;
      },
      &ctx);
}

Result<void> AddressSpace::Protect(u64 addr, u64 length, u32 new_prot) {
  if (!IsAligned(addr, kPageSize)) return Errno::kEINVAL;
  length = AlignUp(length, kPageSize);
  if (length == 0) return Ok();
  if (addr + length < addr || addr + length > kTaskSize) return Errno::kENOMEM;
  if ((new_prot & prot::kGrowsUp) != 0) return Errno::kEINVAL;  // no grows-up VMAs on x86
  if ((new_prot & prot::kGrowsDown) != 0) {
    // The change extends down to the start of the stack VMA [man 2 mprotect].
    Vma* v = FindVma(addr);
    if (v == nullptr) return Errno::kENOMEM;
    if ((v->flags & vma_flags::kGrowsDown) == 0) return Errno::kEINVAL;
    length += addr - v->start();
    addr = v->start();
  }
  if (Vma* v = vmas_.FindFirstEndAfter(addr); v == nullptr || v->start() > addr) {
    return Errno::kENOMEM;
  }
  const u32 access = new_prot & prot::kAccess;
  TRY(ForEachVmaIn(addr, addr + length, [&](Vma& v) -> Result<void> {
    if (v.prot == access) return Ok();
    v.prot = access;
    RefreshPteFlags(v);
    return Ok();
  }));
  // As mprotect_fixup's vma_merge: pieces that now match their neighbours (same protection,
  // flags and object, consecutive offsets) become one VMA again, as /proc/<pid>/maps shows.
  // Linux also refuses to merge private pages of different anon_vmas; this kernel has none.
  const u64 end = addr + length;
  for (Vma* v = vmas_.FindFirstEndAfter(addr); v != nullptr && v->start() < end;) {
    v = vmas_.Next(*MergeAround(v));
  }
  return Ok();
}

namespace {

struct MoveCtx {
  hal::PageTableRoot root;
  u64 delta;  // new - old, modulo 2^64
  u64 moved_until;
  bool failed;
};

}  // namespace

Result<u64> AddressSpace::Remap(u64 old_addr, u64 old_length, u64 new_length, u32 flags,
                                u64 new_addr) {
  if ((flags & ~(mremap::kMayMove | mremap::kFixed | mremap::kDontUnmap)) != 0) {
    return Errno::kEINVAL;
  }
  if ((flags & mremap::kFixed) != 0 && (flags & mremap::kMayMove) == 0) return Errno::kEINVAL;
  if ((flags & mremap::kDontUnmap) != 0 &&
      ((flags & mremap::kMayMove) == 0 || old_length != new_length)) {
    return Errno::kEINVAL;
  }
  if (!IsAligned(old_addr, kPageSize)) return Errno::kEINVAL;
  u64 old_len = AlignUp(old_length, kPageSize);
  u64 new_len = AlignUp(new_length, kPageSize);
  if (old_len < old_length || new_len < new_length) return Errno::kEINVAL;
  if (new_len == 0) return Errno::kEINVAL;
  const bool fixed = (flags & mremap::kFixed) != 0;
  if (fixed) {
    if (!IsAligned(new_addr, kPageSize)) return Errno::kEINVAL;
    if (new_len > kTaskSize || new_addr > kTaskSize - new_len) return Errno::kEINVAL;
    // The old and new ranges may not overlap.
    if (new_addr < old_addr + old_len && old_addr < new_addr + new_len) return Errno::kEINVAL;
  }
  Vma* vma = FindVma(old_addr);
  if (vma == nullptr) return Errno::kEFAULT;
  if (old_len == 0) {
    // A second mapping of the same pages: only meaningful for shared memory.
    if (!vma->shared()) return Errno::kEINVAL;
  } else if (old_len > vma->end() - old_addr) {
    return Errno::kEFAULT;
  }
  // MREMAP_DONTUNMAP works on any mapping since Linux 5.13 (before, private anonymous only):
  // the old range stays, empty, and faults in again from whatever backs it.
  // MREMAP_FIXED and MREMAP_DONTUNMAP always move (mremap_to), even to the same size.
  const bool must_move = fixed || (flags & mremap::kDontUnmap) != 0;

  if (!must_move && old_len != 0 && new_len <= old_len) {
    if (new_len < old_len) TRY(Unmap(old_addr + new_len, old_len - new_len));
    return old_addr;
  }
  // Grow in place when the range ends where the VMA does and the room after it is free.
  if (!must_move && old_len != 0 && old_addr + old_len == vma->end()) {
    u64 end = old_addr + new_len;
    Vma* next = vmas_.Next(*vma);
    bool room = end <= kTaskSize && end > old_addr && (next == nullptr || next->start() >= end);
    if (room && (vma->flags & vma_flags::kGrowsDown) == 0) {
      (void)vmas_.UpdateRange(*vma, vma->start(), end);
      return old_addr;
    }
  }
  if ((flags & mremap::kMayMove) == 0) return Errno::kENOMEM;

  // Move: a new VMA over the target with the old one's attributes, the old pages re-mapped
  // there (each keeping its reference), then the old range removed.
  Vma* moved = TRY(lib::TryNew<Vma>());
  moved->prot = vma->prot;
  moved->flags = vma->flags & ~(vma_flags::kStack | vma_flags::kHeap);
  moved->object = vma->object;
  moved->pgoff = vma->PageIndex(old_addr);
  u64 target;
  if (fixed) {
    if (auto r = Unmap(new_addr, new_len); r.is_error()) {
      lib::Delete(moved);
      return r.error();
    }
    target = new_addr;
    vma = FindVma(old_addr);  // still there: the ranges do not overlap
  } else {
    auto found = FindFreeRange(new_len, 0);
    if (found.is_error()) {
      lib::Delete(moved);
      return found.error();
    }
    target = found.value();
  }
  InsertVma(moved, target, target + new_len);
  u64 span = old_len < new_len ? old_len : new_len;
  if (old_len != 0) {
    MoveCtx ctx{root_, target - old_addr, old_addr, false};
    (void)hal::Mmu::ForEach(
        root_, old_addr, span,
        [](void* c, u64 va, const hal::Translation& t) {
          auto* m = static_cast<MoveCtx*>(c);
          if (hal::Mmu::Map(m->root, va + m->delta, t.phys, t.flags).is_error()) {
            m->failed = true;
            return false;
          }
          GetPage(t.phys);
          m->moved_until = va + kPageSize;
          return true;
        },
        &ctx);
    if (ctx.failed) {
      vmas_.Remove(*moved);
      ZapRange(target, target + new_len);
      lib::Delete(moved);
      return Errno::kENOMEM;
    }
  } else {
    // A duplicate of shared memory: nothing to move, the new VMA faults the object's pages.
  }
  if (old_len != 0) {
    if ((flags & mremap::kDontUnmap) != 0) {
      // The old range stays mapped but empty: its next access sees fresh zero pages.
      ZapRange(old_addr, old_addr + old_len);
    } else {
      TRY(Unmap(old_addr, old_len));
    }
  }
  return target;
}

}  // namespace kernel::mm
