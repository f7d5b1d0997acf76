#pragma once
// x86_64 physical memory: the memory map from the boot protocol and the direct map.
namespace hal::x86_64 {

/// All of physical memory is mapped here (as Linux's page_offset_base default).
inline constexpr kernel::u64 kDirectMapBase = 0xffff'8880'0000'0000ull;

struct Phys {
  static std::span<const MemoryRange> UsableRanges();
  static void* ToVirt(PhysAddr pa) { return reinterpret_cast<void*>(kDirectMapBase + pa); }
  static PhysAddr ToPhys(const void* p);
  static PhysAddr PhysEnd();
};

}  // namespace hal::x86_64

namespace hal {
using PhysImpl = x86_64::Phys;
}
