#pragma once
/// The physical-memory concern: which RAM the kernel may use, and the direct map through which
/// the kernel reaches any physical address. On x86_64 the direct map is a higher-half window;
/// on hostsim it points into one memfd-backed arena, so user pages and page tables are the
/// same bytes whichever side of a fork reads them.
#include <concepts>
#include <span>

#include <hal/types.h>

namespace hal {

using kernel::PhysAddr;

/// A range of usable RAM, page aligned, not overlapping the kernel image, the boot modules or
/// firmware structures.
struct MemoryRange {
  PhysAddr base;
  u64 size;
};

template <typename T>
concept PhysBackend = requires(PhysAddr pa, const void* p) {
  { T::UsableRanges() } -> std::same_as<std::span<const MemoryRange>>;
  { T::ToVirt(pa) } -> std::same_as<void*>;
  { T::ToPhys(p) } -> std::same_as<PhysAddr>;
  /// One past the highest physical address of RAM (sizes the kernel's page array).
  { T::PhysEnd() } -> std::same_as<PhysAddr>;
};

}  // namespace hal

#include <hal/backend/phys.h>

namespace hal {
static_assert(PhysBackend<PhysImpl>, "the HAL backend's phys does not meet the contract");
using Phys = PhysImpl;
}  // namespace hal
