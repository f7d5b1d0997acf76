// Parts of the hostsim backend that the foundation's memory work fills in: the shared page
// tables and the software MMU. They stop loudly rather than pretend.
#include <cstdio>
#include <cstdlib>

#include <hal/mmu.h>
#include <hal/usercopy.h>

namespace hal::hostsim {

[[noreturn]] static void NotYet(const char* what) {
  std::fprintf(stderr, "hostsim: %s is not implemented yet (TODO(#2))\n", what);
  std::abort();
}

Result<PageTableRoot> Mmu::CreateAddressSpace() { NotYet("CreateAddressSpace"); }
void Mmu::DestroyAddressSpace(PageTableRoot) { NotYet("DestroyAddressSpace"); }
Result<void> Mmu::Map(PageTableRoot, u64, PhysAddr, u64) { NotYet("Map"); }
Result<Translation> Mmu::Unmap(PageTableRoot, u64) { NotYet("Unmap"); }
Result<void> Mmu::UnmapRange(PageTableRoot, u64, u64, PteVisitor, void*) {
  NotYet("UnmapRange");
}
Result<void> Mmu::Protect(PageTableRoot, u64, u64) { NotYet("Protect"); }
Result<Translation> Mmu::Query(PageTableRoot, u64) { NotYet("Query"); }
Result<void> Mmu::ForEach(PageTableRoot, u64, u64, PteVisitor, void*) { NotYet("ForEach"); }
void Mmu::Activate(PageTableRoot) { NotYet("Activate"); }
PageTableRoot Mmu::Active() { NotYet("Active"); }

kernel::usize UserCopy::CopyFromUser(void*, kernel::u64, kernel::usize) {
  NotYet("CopyFromUser");
}
kernel::usize UserCopy::CopyToUser(kernel::u64, const void*, kernel::usize) {
  NotYet("CopyToUser");
}
kernel::usize UserCopy::ClearUser(kernel::u64, kernel::usize) { NotYet("ClearUser"); }
kernel::isize UserCopy::StrncpyFromUser(char*, kernel::u64, kernel::usize) {
  NotYet("StrncpyFromUser");
}

}  // namespace hal::hostsim
