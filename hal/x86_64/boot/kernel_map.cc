// Kernel page tables [intel-sdm 3 §4.5]. Tables come from EarlyAllocPage and are reached
// through the direct map; the boot tables' 4 GiB window covers them until CR3 is switched.
#include "hal/x86_64/boot/kernel_map.h"

#include <hal/mmu.h>
#include <hal/phys.h>

#include "hal/x86_64/boot/boot_info.h"
#include "hal/x86_64/boot/phys_ranges.h"
#include "kernel/lib/result.h"

extern "C" char aramid_text_start[], aramid_rodata_start[], aramid_data_start[], aramid_image_end[],
    aramid_boot_stack_guard[];

namespace hal::x86_64 {
namespace {

constexpr u64 k4K = 1ull << 12, k2M = 1ull << 21, k1G = 1ull << 30;

u64 g_pml4 = 0;
PagingFeatures g_features;
DirectMapStats g_stats;

u64* TableAt(u64 phys) { return reinterpret_cast<u64*>(kDirectMapBase + phys); }

// The next-level table behind table[index], allocated when absent; null when a huge page is
// already there.
u64* NextTable(u64* table, usize index) {
  u64 e = table[index];
  if (!(e & pte::kPresent)) {
    e = EarlyAllocPage() | pte::kPresent | pte::kWritable;
    table[index] = e;
  } else if (e & pte::kHuge) {
    return nullptr;
  }
  return TableAt(e & pte::kAddressMask);
}

u64 Leaf(u64 flags) {
  if (!g_features.nx) flags &= ~pte::kNoExecute;
  if (!g_features.global) flags &= ~pte::kGlobal;
  return flags;
}

// Maps one page of `size` (4K, 2M or 1G). Returns false when a larger page already covers va.
bool MapOne(u64 va, u64 pa, u64 size, u64 flags) {
  u64* t = TableAt(g_pml4);
  t = NextTable(t, (va >> 39) & 511);
  if (t == nullptr) return false;
  if (size == k1G) {
    t[(va >> 30) & 511] = pa | Leaf(flags) | pte::kHuge;
    return true;
  }
  t = NextTable(t, (va >> 30) & 511);
  if (t == nullptr) return false;
  if (size == k2M) {
    t[(va >> 21) & 511] = pa | Leaf(flags) | pte::kHuge;
    return true;
  }
  t = NextTable(t, (va >> 21) & 511);
  if (t == nullptr) return false;
  t[(va >> 12) & 511] = pa | Leaf(flags);
  return true;
}

// Maps [base, end) of RAM into the direct map with the largest pages that fit.
void MapDirect(u64 base, u64 end) {
  constexpr u64 kFlags = pte::kPresent | pte::kWritable | pte::kGlobal | pte::kNoExecute;
  base = kernel::AlignDown(base, k4K);
  end = kernel::AlignUp(end, k4K);
  for (u64 pa = base; pa < end;) {
    u64 size = k4K;
    if (g_features.gbpages && kernel::IsAligned(pa, k1G) && end - pa >= k1G) {
      size = k1G;
    } else if (kernel::IsAligned(pa, k2M) && end - pa >= k2M) {
      size = k2M;
    }
    if (MapOne(kDirectMapBase + pa, pa, size, kFlags)) {
      g_stats.bytes += size;
      (size == k1G ? g_stats.pages_1g : size == k2M ? g_stats.pages_2m : g_stats.pages_4k)++;
    }
    pa += size;
  }
}

void MapImage(const char* start, const char* end, u64 flags) {
  for (u64 va = reinterpret_cast<u64>(start); va < reinterpret_cast<u64>(end); va += k4K) {
    MapOne(va, va - kKernelVma, k4K, flags | pte::kPresent | pte::kGlobal);
  }
}

}  // namespace

void InitKernelPageTables(const PagingFeatures& features) {
  g_features = features;
  g_pml4 = EarlyAllocPage();
  // The direct map covers what the firmware calls RAM (usable, ACPI, NVS) and the low 1 MiB
  // (BIOS data, the RSDP area), but never device holes: those are mapped uncached by MapMmio.
  const BootInfo& bi = GetBootInfo();
  MapDirect(0, 1ull << 20);
  for (usize i = 0; i < bi.memmap_count; ++i) {
    const FirmwareRange& r = bi.memmap[i];
    if (r.type == MemType::kRam || r.type == MemType::kAcpiReclaimable ||
        r.type == MemType::kAcpiNvs) {
      MapDirect(r.base, r.base + r.size);
    }
  }
  // W^X for the image [intel-sdm 3 §4.6]: text RX, rodata R, data and bss RW.
  MapImage(aramid_text_start, aramid_rodata_start, 0);
  MapImage(aramid_rodata_start, aramid_data_start, pte::kNoExecute);
  MapImage(aramid_data_start, aramid_boot_stack_guard, pte::kWritable | pte::kNoExecute);
  MapImage(aramid_boot_stack_guard + 4096, aramid_image_end, pte::kWritable | pte::kNoExecute);
  WriteCr3(g_pml4);
}

u64 KernelPml4() { return g_pml4; }

volatile void* MapMmio(u64 phys, u64 size) {
  constexpr u64 kFlags = pte::kPresent | pte::kWritable | pte::kCacheDisable | pte::kWriteThrough |
                         pte::kNoExecute | pte::kGlobal;
  u64 base = kernel::AlignDown(phys, k4K);
  for (u64 pa = base; pa < phys + size; pa += k4K) {
    if (MapOne(kDirectMapBase + pa, pa, k4K, kFlags)) {
      asm volatile("invlpg (%0)" ::"r"(kDirectMapBase + pa) : "memory");
    }
  }
  return reinterpret_cast<volatile void*>(kDirectMapBase + phys);
}

DirectMapStats GetDirectMapStats() { return g_stats; }

}  // namespace hal::x86_64
