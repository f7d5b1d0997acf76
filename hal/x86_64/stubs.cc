// Parts of the x86_64 backend not written yet: the mm helper's Mmu and UserCopy (issue #3)
// replace these. Each one stops the machine with a clear message rather than pretend; none is
// reached by the boot path.
#include <hal/mmu.h>
#include <hal/usercopy.h>

#include "kernel/lib/result.h"

namespace hal::x86_64 {

#define ARAMID_NOT_YET(what) kernel::Panic("x86_64: %s is not implemented yet (TODO(#3))", what)

Result<PageTableRoot> Mmu::CreateAddressSpace() { ARAMID_NOT_YET("CreateAddressSpace"); }
void Mmu::DestroyAddressSpace(PageTableRoot) { ARAMID_NOT_YET("DestroyAddressSpace"); }
Result<void> Mmu::Map(PageTableRoot, u64, PhysAddr, u64) { ARAMID_NOT_YET("Map"); }
Result<Translation> Mmu::Unmap(PageTableRoot, u64) { ARAMID_NOT_YET("Unmap"); }
Result<void> Mmu::UnmapRange(PageTableRoot, u64, u64, PteVisitor, void*) {
  ARAMID_NOT_YET("UnmapRange");
}
Result<void> Mmu::Protect(PageTableRoot, u64, u64) { ARAMID_NOT_YET("Protect"); }
Result<Translation> Mmu::Query(PageTableRoot, u64) { ARAMID_NOT_YET("Query"); }
Result<void> Mmu::ForEach(PageTableRoot, u64, u64, PteVisitor, void*) {
  ARAMID_NOT_YET("ForEach");
}
void Mmu::Activate(PageTableRoot) { ARAMID_NOT_YET("Activate"); }
PageTableRoot Mmu::Active() { ARAMID_NOT_YET("Active"); }

kernel::usize UserCopy::CopyFromUser(void*, kernel::u64, kernel::usize) {
  ARAMID_NOT_YET("CopyFromUser");
}
kernel::usize UserCopy::CopyToUser(kernel::u64, const void*, kernel::usize) {
  ARAMID_NOT_YET("CopyToUser");
}
kernel::usize UserCopy::ClearUser(kernel::u64, kernel::usize) { ARAMID_NOT_YET("ClearUser"); }
kernel::isize UserCopy::StrncpyFromUser(char*, kernel::u64, kernel::usize) {
  ARAMID_NOT_YET("StrncpyFromUser");
}

}  // namespace hal::x86_64
