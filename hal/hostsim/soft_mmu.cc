// The software page walk, in the order the hardware does it [intel-sdm 3 §4.5, §4.6]:
// level by level, a non-present entry ends the walk with a not-present fault and a present
// entry with a reserved bit set ends it with a reserved-bit fault; only a complete walk is
// checked for access rights, which combine across all four levels (U/S and R/W must allow the
// access at every level, XD at any level forbids a fetch).
#include "hal/hostsim/soft_mmu.h"

#include <cstring>
#include <vector>

#include <hal/phys.h>

#include "hal/common/page_table.h"

namespace hal::hostsim {
namespace {

using common::EntryIndex;
using common::EntrySpan;

constexpr u64 Bits(unsigned lo, unsigned hi) {
  return ((hi == 63 ? 0 : (u64{1} << (hi + 1))) - 1) & ~((u64{1} << lo) - 1);
}

// Physical-address bits above MAXPHYADDR, up to bit 51 [intel-sdm 3 §4.5.4, tables 4-14..4-20].
constexpr u64 kAboveMaxPhys = Bits(SoftMmu::kMaxPhysAddrBits, 51);

u64 ReservedBits(int level, u64 entry) {
  bool large = (entry & pte::kHuge) != 0;
  switch (level) {
    case 3:
      return kAboveMaxPhys | pte::kHuge;  // PS must be 0 in a PML4E
    case 2:
      return large ? kAboveMaxPhys | Bits(13, 29) : kAboveMaxPhys;  // 1 GiB page
    case 1:
      return large ? kAboveMaxPhys | Bits(13, 20) : kAboveMaxPhys;  // 2 MiB page
    default:
      return kAboveMaxPhys;
  }
}

MmuResult PageFault(u64 va, u64 error_code) {
  return MmuResult{MmuResult::Kind::kPageFault, 0, error_code, va};
}

}  // namespace

Trap MmuResult::AsTrap() const {
  if (kind == Kind::kGeneralProtection) {
    return Trap{TrapKind::kFault, vec::kGeneralProtection, 0, 0};
  }
  return Trap{TrapKind::kPageFault, vec::kPageFault, error_code, address};
}

MmuResult SoftMmu::Translate(PageTableRoot root, u64 va, Access access, Privilege privilege) {
  if (!common::IsCanonical(va)) return MmuResult{MmuResult::Kind::kGeneralProtection, 0, 0, va};
  const bool user = privilege == Privilege::kUser;
  const u64 error = (access == Access::kWrite ? pf::kWrite : 0) | (user ? pf::kUser : 0) |
                    (access == Access::kExecute ? pf::kInstruction : 0);
  if (!root.valid()) return PageFault(va, error);

  bool user_allowed = true, write_allowed = true, execute_allowed = true;
  PhysAddr table = root.pml4;
  PhysAddr phys = 0;
  for (int level = common::kPageTableLevels - 1; level >= 0; --level) {
    // The hardware would read whatever answers at that address; the arena has nothing there.
    if (table + kernel::kPageSize > Phys::PhysEnd()) {
      kernel::Panic("soft_mmu: va %#lx: the level-%d table at %#lx is beyond RAM (%#lx)", va, level,
                    table, Phys::PhysEnd());
    }
    u64 e = common::ReadEntry(table, EntryIndex(va, level));
    if ((e & pte::kPresent) == 0) return PageFault(va, error);
    if ((e & ReservedBits(level, e)) != 0) {
      return PageFault(va, error | pf::kPresent | pf::kReserved);
    }
    user_allowed = user_allowed && (e & pte::kUser) != 0;
    write_allowed = write_allowed && (e & pte::kWritable) != 0;
    execute_allowed = execute_allowed && (e & pte::kNoExecute) == 0;
    if (level == 0 || (e & pte::kHuge) != 0) {
      u64 span = EntrySpan(level);
      phys = (e & pte::kAddressMask & ~(span - 1)) | (va & (span - 1));
      break;
    }
    table = e & pte::kAddressMask;
  }

  bool allowed;
  switch (access) {
    case Access::kRead:
      allowed = !user || user_allowed;
      break;
    case Access::kWrite:
      allowed = (!user || user_allowed) && write_allowed;  // CR0.WP=1: also for CPL 0
      break;
    default:                                                               // kExecute
      allowed = execute_allowed && (user ? user_allowed : !user_allowed);  // SMEP for CPL 0
      break;
  }
  if (!allowed) return PageFault(va, error | pf::kPresent);
  return MmuResult{MmuResult::Kind::kOk, phys, 0, va};
}

namespace {

struct Piece {
  PhysAddr phys;
  usize len;
};

// Translates every page of [va, va+n) or reports the first fault.
MmuResult TranslateAll(PageTableRoot root, u64 va, usize n, Access access, Privilege privilege,
                       std::vector<Piece>& pieces) {
  u64 addr = va;
  usize left = n;
  while (left > 0) {
    usize chunk = kernel::kPageSize - (addr & (kernel::kPageSize - 1));
    if (chunk > left) chunk = left;
    MmuResult r = SoftMmu::Translate(root, addr, access, privilege);
    if (!r.ok()) return r;
    if (r.phys + chunk > Phys::PhysEnd()) {
      kernel::Panic("soft_mmu: va %#lx translates to %#lx, beyond RAM (%#lx)", addr, r.phys,
                    Phys::PhysEnd());
    }
    pieces.push_back({r.phys, chunk});
    addr += chunk;
    left -= chunk;
  }
  return MmuResult{MmuResult::Kind::kOk, pieces.empty() ? 0 : pieces[0].phys, 0, va};
}

}  // namespace

MmuResult SoftMmu::Load(PageTableRoot root, u64 va, void* dst, usize n, Access access,
                        Privilege privilege) {
  std::vector<Piece> pieces;
  MmuResult r = TranslateAll(root, va, n, access == Access::kWrite ? Access::kRead : access,
                             privilege, pieces);
  if (!r.ok()) return r;
  auto* out = static_cast<u8*>(dst);
  for (const Piece& p : pieces) {
    std::memcpy(out, Phys::ToVirt(p.phys), p.len);
    out += p.len;
  }
  return r;
}

MmuResult SoftMmu::Store(PageTableRoot root, u64 va, const void* src, usize n,
                         Privilege privilege) {
  std::vector<Piece> pieces;
  MmuResult r = TranslateAll(root, va, n, Access::kWrite, privilege, pieces);
  if (!r.ok()) return r;
  const auto* in = static_cast<const u8*>(src);
  for (const Piece& p : pieces) {
    std::memcpy(Phys::ToVirt(p.phys), in, p.len);
    in += p.len;
  }
  return r;
}

}  // namespace hal::hostsim
