// madvise(2): DONTNEED and friends drop pages, the fork advice changes VMA flags, POPULATE_*
// faults pages in, and the advice that only tunes paging is accepted and ignored. Advice this
// kernel does not support gets EINVAL, which is what Linux says when the feature is not
// configured (MADV_HWPOISON without CONFIG_MEMORY_FAILURE, MADV_COLLAPSE without THP)
// [man 2 madvise, linux mm/madvise.c].
#include "kernel/mm/address_space.h"

namespace kernel::mm {
namespace {

bool KnownAdvice(int advice) {
  switch (advice) {
    case madv::kNormal:
    case madv::kRandom:
    case madv::kSequential:
    case madv::kWillNeed:
    case madv::kDontNeed:
    case madv::kFree:
    case madv::kRemove:
    case madv::kDontFork:
    case madv::kDoFork:
    case madv::kMergeable:
    case madv::kUnmergeable:
    case madv::kHugePage:
    case madv::kNoHugePage:
    case madv::kDontDump:
    case madv::kDoDump:
    case madv::kWipeOnFork:
    case madv::kKeepOnFork:
    case madv::kCold:
    case madv::kPageOut:
    case madv::kPopulateRead:
    case madv::kPopulateWrite:
    case madv::kDontNeedLocked:
      return true;
    default:
      return false;
  }
}

}  // namespace

Result<void> AddressSpace::Advise(u64 addr, u64 length, int advice) {
  if (!IsAligned(addr, kPageSize)) return Errno::kEINVAL;
  if (!KnownAdvice(advice)) return Errno::kEINVAL;
  u64 len = AlignUp(length, kPageSize);
  if (len < length) return Errno::kEINVAL;
  const u64 end = addr + len;
  if (end < addr) return Errno::kEINVAL;
  if (end == addr) return Ok();

  switch (advice) {
    case madv::kDontNeed:
    case madv::kDontNeedLocked:
    case madv::kFree:
    case madv::kRemove:
      // Pure page drops: no VMA changes, so no splitting. As Linux's madvise_walk_vmas, the
      // mapped parts get the advice even when the range has holes, and then the holes are
      // ENOMEM.
      {
        u64 cursor = addr;
        bool hole = false;
        for (Vma* v = vmas_.FindFirstEndAfter(addr); v != nullptr && v->start() < end;
             v = vmas_.Next(*v)) {
          if (v->start() > cursor) hole = true;
          u64 s = v->start() > addr ? v->start() : addr;
          u64 e = v->end() < end ? v->end() : end;
          if (advice == madv::kFree && (v->shared() || !v->anonymous())) return Errno::kEINVAL;
          if (advice == madv::kRemove) {
            if (!v->shared()) return Errno::kEINVAL;
            TRY(v->object->DiscardPages(v->PageIndex(s), (e - s) / kPageSize));
          }
          ZapRange(s, e);
          cursor = v->end();
        }
        if (hole || cursor < end) return Errno::kENOMEM;
        return Ok();
      }
    case madv::kPopulateRead:
    case madv::kPopulateWrite: {
      bool write = advice == madv::kPopulateWrite;
      for (u64 va = addr; va < end; va += kPageSize) {
        Vma* v = FindVma(va);
        if (v == nullptr) return Errno::kENOMEM;
        // Linux reports a protection that forbids the access as EINVAL ("incompatible
        // mappings / permissions", madvise_populate); EFAULT is left for SIGBUS-like faults.
        if (!v->Allows(write, false)) return Errno::kEINVAL;
      }
      return Populate(addr, len, write);
    }
    case madv::kDontFork:
    case madv::kDoFork:
    case madv::kWipeOnFork:
    case madv::kKeepOnFork:
      break;
    default:
      // Hints about paging: nothing to do, but the range must be mapped.
      {
        u64 cursor = addr;
        for (Vma* v = vmas_.FindFirstEndAfter(addr); v != nullptr && v->start() < end;
             v = vmas_.Next(*v)) {
          if (v->start() > cursor) return Errno::kENOMEM;
          cursor = v->end();
        }
        return cursor < end ? Errno::kENOMEM : Ok();
      }
  }
  if (advice == madv::kWipeOnFork) {
    for (Vma* v = vmas_.FindFirstEndAfter(addr); v != nullptr && v->start() < end;
         v = vmas_.Next(*v)) {
      if (v->shared() || !v->anonymous()) return Errno::kEINVAL;
    }
  }
  return ForEachVmaIn(addr, end, [&](Vma& v) -> Result<void> {
    switch (advice) {
      case madv::kDontFork:
        v.flags |= vma_flags::kDontFork;
        break;
      case madv::kDoFork:
        v.flags &= ~vma_flags::kDontFork;
        break;
      case madv::kWipeOnFork:
        v.flags |= vma_flags::kWipeOnFork;
        break;
      case madv::kKeepOnFork:
        v.flags &= ~vma_flags::kWipeOnFork;
        break;
    }
    return Ok();
  });
}

}  // namespace kernel::mm
