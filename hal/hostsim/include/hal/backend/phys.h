#pragma once
// hostsim physical memory: one memfd-backed arena mapped into this process; the direct map
// is arena_base + physical address.
namespace hal::hostsim {

struct Phys {
  static std::span<const MemoryRange> UsableRanges();
  static void* ToVirt(PhysAddr pa);
  static PhysAddr ToPhys(const void* p);
  static PhysAddr PhysEnd();
};

}  // namespace hal::hostsim

namespace hal {
using PhysImpl = hostsim::Phys;
}
