// hostsim's user copies: every page is translated by the software MMU as a supervisor access
// inside stac/clac, against the active address space. A fault goes to the kernel as a
// kernel-mode #PF would (hal::hooks::OnKernelUserFault) and the page is retried when the
// kernel resolved it; the bytes themselves move through the direct map into the arena.
#include "hal/hostsim/usercopy.h"

#include <hal/kernel_hooks.h>
#include <hal/mmu.h>
#include <hal/phys.h>
#include <hal/usercopy.h>

#include "hal/common/user_copy_walk.h"
#include "hal/hostsim/soft_mmu.h"

namespace hal::hostsim {
namespace {

KernelUserFaultHandler g_fault_handler = nullptr;

u8* ResolveUserPage(u64 va, bool write) {
  Access access = write ? Access::kWrite : Access::kRead;
  for (int faults = 0; faults < kMaxFaultsPerPage; ++faults) {
    MmuResult r = SoftMmu::Translate(Mmu::Active(), va, access, Privilege::kSupervisor);
    if (r.ok()) return static_cast<u8*>(Phys::ToVirt(r.phys));
    if (r.kind != MmuResult::Kind::kPageFault) return nullptr;
    bool fixed = g_fault_handler != nullptr ? g_fault_handler(va, r.error_code)
                                            : hooks::OnKernelUserFault(va, r.error_code);
    if (!fixed) return nullptr;
  }
  return nullptr;
}

}  // namespace

void SetKernelUserFaultHandler(KernelUserFaultHandler handler) { g_fault_handler = handler; }

kernel::usize UserCopy::CopyFromUser(void* dst, kernel::u64 src, kernel::usize n) {
  return common::CopyFromUserWith(ResolveUserPage, dst, src, n);
}

kernel::usize UserCopy::CopyToUser(kernel::u64 dst, const void* src, kernel::usize n) {
  return common::CopyToUserWith(ResolveUserPage, dst, src, n);
}

kernel::usize UserCopy::ClearUser(kernel::u64 dst, kernel::usize n) {
  return common::ClearUserWith(ResolveUserPage, dst, n);
}

kernel::isize UserCopy::StrncpyFromUser(char* dst, kernel::u64 src, kernel::usize n) {
  return common::StrncpyFromUserWith(ResolveUserPage, dst, src, n);
}

}  // namespace hal::hostsim
