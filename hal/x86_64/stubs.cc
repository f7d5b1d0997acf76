// Parts of the x86_64 backend that the x86_64 issue (#3) implements. Each one stops the
// machine with a clear message rather than pretend; none is reached by the banner boot.
#include <hal/clock.h>
#include <hal/cpu.h>
#include <hal/interrupts.h>
#include <hal/mmu.h>
#include <hal/phys.h>
#include <hal/usercopy.h>

#include "kernel/lib/result.h"

namespace hal::x86_64 {

#define ARAMID_NOT_YET(what) kernel::Panic("x86_64: %s is not implemented yet (TODO(#3))", what)

Trap Cpu::EnterUser(UserContext&) { ARAMID_NOT_YET("EnterUser"); }
void Cpu::InitKernelContext(KernelContext&, void*, usize, KernelEntry, void*) {
  ARAMID_NOT_YET("InitKernelContext");
}
void Cpu::SwitchContext(KernelContext&, const KernelContext&) { ARAMID_NOT_YET("SwitchContext"); }
void Cpu::SaveFpu(UserContext&) { ARAMID_NOT_YET("SaveFpu"); }
void Cpu::RestoreFpu(UserContext&) { ARAMID_NOT_YET("RestoreFpu"); }
void Cpu::InitFpu(UserContext&) { ARAMID_NOT_YET("InitFpu"); }
void Cpu::Idle() { asm volatile("sti; hlt; cli"); }
usize Cpu::Backtrace(u64 frames[], usize max) {
  // Frame-pointer walk: every kernel function keeps rbp (-fno-omit-frame-pointer).
  usize n = 0;
  auto* fp = static_cast<u64*>(__builtin_frame_address(0));
  while (fp != nullptr && n < max && reinterpret_cast<u64>(fp) >= 0xffff'8000'0000'0000ull) {
    u64 ret = fp[1];
    if (ret == 0) break;
    frames[n++] = ret;
    fp = reinterpret_cast<u64*>(fp[0]);
  }
  return n;
}

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

std::span<const MemoryRange> Phys::UsableRanges() { ARAMID_NOT_YET("UsableRanges"); }
PhysAddr Phys::ToPhys(const void* p) { return reinterpret_cast<u64>(p) - kDirectMapBase; }
PhysAddr Phys::PhysEnd() { ARAMID_NOT_YET("PhysEnd"); }

void Interrupts::StartTick(kernel::u32) { ARAMID_NOT_YET("StartTick"); }
kernel::u64 Clock::MonotonicNs() { return 0; }
kernel::u64 Clock::BootWallClockNs() { return 0; }

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
