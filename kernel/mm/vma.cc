#include "kernel/mm/vma.h"

namespace kernel::mm {

bool Vma::Allows(bool write, bool exec) const {
  if (write) return (prot & prot::kWrite) != 0;
  if (exec) return (prot & prot::kExec) != 0;
  return (prot & prot::kAccess) != 0;
}

u64 Vma::PteFlags(bool exclusive) const {
  if ((prot & prot::kAccess) == 0) {
    // PROT_NONE: the leaf keeps its frame but is not present, so every access faults and the
    // contents survive an mprotect back (hal/common/page_table.h "mapped vs present").
    return hal::pte::kUser;
  }
  u64 f = hal::pte::kPresent | hal::pte::kUser;
  if ((prot & prot::kExec) == 0) f |= hal::pte::kNoExecute;
  if ((prot & prot::kWrite) != 0 && (shared() || exclusive)) f |= hal::pte::kWritable;
  return f;
}

bool Vma::CanMergeWith(const Vma& next) const {
  if (next.start() != end() || next.prot != prot || next.flags != flags) return false;
  if (next.object.get() != object.get()) return false;
  return object.get() == nullptr || next.pgoff == pgoff + size() / kPageSize;
}

}  // namespace kernel::mm
