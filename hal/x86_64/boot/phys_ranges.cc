// Phys: which RAM the kernel may use. [acpi 6.4 §15] for the memory types.
#include "hal/x86_64/boot/phys_ranges.h"

#include <hal/phys.h>

#include "hal/x86_64/boot/boot_info.h"
#include "kernel/lib/result.h"

extern "C" char aramid_image_start_phys[], aramid_image_end_phys[];

namespace hal::x86_64 {
namespace {

using kernel::AlignDown;
using kernel::AlignUp;

constexpr u64 kLowMemoryEnd = 1ull << 20;  // BIOS data, EBDA, option ROMs, real-mode IVT
constexpr u64 k4G = 1ull << 32;
constexpr usize kMaxRanges = 192;

MemoryRange g_ranges[kMaxRanges];
usize g_count = 0;
PhysAddr g_phys_end = 0;

void Insert(u64 base, u64 end) {
  if (end <= base) return;
  if (g_count == kMaxRanges) return;  // more holes than any real map has: drop the rest
  usize i = g_count;
  while (i > 0 && g_ranges[i - 1].base > base) {
    g_ranges[i] = g_ranges[i - 1];
    --i;
  }
  g_ranges[i] = {base, end - base};
  ++g_count;
}

// Removes [base, end) from every usable range, splitting where needed.
void Subtract(u64 base, u64 end) {
  base = AlignDown(base, kernel::kPageSize);
  end = AlignUp(end, kernel::kPageSize);
  for (usize i = 0; i < g_count;) {
    u64 rb = g_ranges[i].base, re = rb + g_ranges[i].size;
    if (end <= rb || base >= re) {
      ++i;
      continue;
    }
    // Remove range i, then put back the parts outside [base, end).
    for (usize j = i; j + 1 < g_count; ++j) g_ranges[j] = g_ranges[j + 1];
    --g_count;
    if (rb < base) Insert(rb, base);
    if (re > end) Insert(end, re);
    i = 0;  // the order changed; the list is short
  }
}

}  // namespace

bool InitPhysRanges() {
  const BootInfo& bi = GetBootInfo();
  g_count = 0;
  for (usize i = 0; i < bi.memmap_count; ++i) {
    const FirmwareRange& r = bi.memmap[i];
    if (r.type != MemType::kRam) continue;
    u64 base = AlignUp(r.base, kernel::kPageSize);
    u64 end = AlignDown(r.base + r.size, kernel::kPageSize);
    if (end > g_phys_end) g_phys_end = end;
    // Overlapping RAM entries (some firmware repeats them) are merged by subtracting first.
    Subtract(base, end);
    Insert(base, end);
  }
  for (usize i = 0; i < bi.memmap_count; ++i) {
    const FirmwareRange& r = bi.memmap[i];
    if (r.type != MemType::kRam) Subtract(r.base, r.base + r.size);
  }
  Subtract(0, kLowMemoryEnd);
  Subtract(reinterpret_cast<u64>(aramid_image_start_phys),
           reinterpret_cast<u64>(aramid_image_end_phys));
  if (bi.initrd_size) Subtract(bi.initrd_phys, bi.initrd_phys + bi.initrd_size);
  return g_count > 0;
}

u64 EarlyAllocPage() {
  // The largest range that ends below 4 GiB: the boot page tables reach it.
  usize best = kMaxRanges;
  for (usize i = 0; i < g_count; ++i) {
    if (g_ranges[i].base + g_ranges[i].size > k4G) continue;
    if (best == kMaxRanges || g_ranges[i].size > g_ranges[best].size) best = i;
  }
  if (best == kMaxRanges || g_ranges[best].size == 0) {
    kernel::Panic("x86_64: no RAM below 4 GiB left for early page tables");
  }
  g_ranges[best].size -= kernel::kPageSize;
  u64 page = g_ranges[best].base + g_ranges[best].size;
  if (g_ranges[best].size == 0) {
    for (usize j = best; j + 1 < g_count; ++j) g_ranges[j] = g_ranges[j + 1];
    --g_count;
  }
  __builtin_memset(reinterpret_cast<void*>(kDirectMapBase + page), 0, kernel::kPageSize);
  return page;
}

u64 UsableBytes() {
  u64 total = 0;
  for (usize i = 0; i < g_count; ++i) total += g_ranges[i].size;
  return total;
}

std::span<const MemoryRange> Phys::UsableRanges() { return {g_ranges, g_count}; }
PhysAddr Phys::PhysEnd() { return g_phys_end; }
PhysAddr Phys::ToPhys(const void* p) {
  u64 va = reinterpret_cast<u64>(p);
  // The kernel image is reached at its link address as well as through the direct map.
  if (va >= 0xffff'ffff'8000'0000ull) return va - 0xffff'ffff'8000'0000ull;
  return va - kDirectMapBase;
}

}  // namespace hal::x86_64
