// Reading the PVH start info [xen include/public/arch-x86/hvm/start_info.h] and the Multiboot2
// information structure [multiboot2 §3.6] into BootInfo.
#include "hal/x86_64/boot/boot_info.h"

#include <hal/boot.h>
#include <hal/phys.h>

namespace hal::x86_64 {
namespace {

constexpr u32 kPvhMagic = 0x336e'c578;
constexpr u32 kMultiboot2Magic = 0x36d7'6289;

BootInfo g_info;

// The boot page tables map the first 4 GiB at kDirectMapBase; loaders keep their structures
// below 4 GiB.
template <typename T>
const T* Early(u64 phys) {
  return reinterpret_cast<const T*>(kDirectMapBase + phys);
}

struct PvhStartInfo {
  u32 magic, version, flags, nr_modules;
  u64 modlist_paddr, cmdline_paddr, rsdp_paddr;
  u64 memmap_paddr;  // version >= 1
  u32 memmap_entries, reserved;
};
struct PvhModule {
  u64 paddr, size, cmdline_paddr, reserved;
};
struct PvhMemmapEntry {
  u64 addr, size;
  u32 type, reserved;
};

void KeepCommandLine(const char* s, usize max) {
  usize n = 0;
  while (n < max && s[n] && n + 1 < sizeof(g_info.cmdline)) {
    g_info.cmdline[n] = s[n];
    ++n;
  }
  g_info.cmdline_truncated = n < max && s[n] != '\0';
  g_info.cmdline[n] = '\0';
  g_info.cmdline_len = n;
}

void AddRange(u64 base, u64 size, u32 type) {
  if (size == 0) return;
  if (g_info.memmap_count == BootInfo::kMaxRanges) {
    g_info.memmap_truncated = true;
    return;
  }
  g_info.memmap[g_info.memmap_count++] = {base, size, static_cast<MemType>(type)};
}

void ParsePvh(const PvhStartInfo* si) {
  g_info.protocol = "pvh";
  if (si->cmdline_paddr) KeepCommandLine(Early<char>(si->cmdline_paddr), ~usize{0});
  if (si->nr_modules > 0 && si->modlist_paddr) {
    const auto* mod = Early<PvhModule>(si->modlist_paddr);
    g_info.initrd_phys = mod->paddr;
    g_info.initrd_size = mod->size;
  }
  g_info.rsdp_phys = si->rsdp_paddr;
  if (si->version >= 1 && si->memmap_paddr) {
    const auto* e = Early<PvhMemmapEntry>(si->memmap_paddr);
    for (u32 i = 0; i < si->memmap_entries; ++i) AddRange(e[i].addr, e[i].size, e[i].type);
  }
}

void ParseMultiboot2(u64 mbi) {
  g_info.protocol = "multiboot2";
  u32 total = *Early<u32>(mbi);
  for (u64 off = 8; off + 8 <= total;) {
    u32 type = *Early<u32>(mbi + off);
    u32 size = *Early<u32>(mbi + off + 4);
    if (type == 0 || size < 8) break;
    u64 body = mbi + off + 8;
    switch (type) {
      case 1:  // boot command line
        KeepCommandLine(Early<char>(body), size - 8);
        break;
      case 3:  // module: u32 start, u32 end, string; the first one is the initrd
        if (g_info.initrd_phys == 0) {
          u32 start = Early<u32>(body)[0], end = Early<u32>(body)[1];
          g_info.initrd_phys = start;
          g_info.initrd_size = end > start ? end - start : 0;
        }
        break;
      case 6: {  // memory map: u32 entry_size, u32 entry_version, entries
        u32 entry_size = Early<u32>(body)[0];
        if (entry_size < 24) break;
        for (u64 e = body + 8; e + entry_size <= mbi + off + size; e += entry_size) {
          AddRange(*Early<u64>(e), *Early<u64>(e + 8), *Early<u32>(e + 16));
        }
        break;
      }
      case 14:    // ACPI 1.0 RSDP copy
      case 15: {  // ACPI 2.0+ RSDP copy (preferred: it carries the XSDT)
        if (type == 14 && g_info.has_rsdp_copy) break;
        usize n = size - 8 < sizeof(g_info.rsdp_copy) ? size - 8 : sizeof(g_info.rsdp_copy);
        for (usize i = 0; i < n; ++i) g_info.rsdp_copy[i] = Early<u8>(body)[i];
        g_info.has_rsdp_copy = true;
        break;
      }
      default:
        break;
    }
    off += (size + 7) & ~7u;
  }
}

}  // namespace

const BootInfo& GetBootInfo() { return g_info; }

bool ParseBootInfo(u32 magic, u64 info_phys) {
  // qboot (-M microvm) enters PVH with the Multiboot1 magic in eax: the start-info magic at
  // [ebx] is the reliable sign (QEMU-NOTES.md).
  if (info_phys != 0 && Early<PvhStartInfo>(info_phys)->magic == kPvhMagic) {
    ParsePvh(Early<PvhStartInfo>(info_phys));
    return true;
  }
  if (magic == kMultiboot2Magic) {
    ParseMultiboot2(info_phys);
    return true;
  }
  return false;
}

std::string_view Boot::CommandLine() { return {g_info.cmdline, g_info.cmdline_len}; }

std::span<const kernel::u8> Boot::Initrd() {
  if (g_info.initrd_phys == 0 || g_info.initrd_size == 0) return {};
  return {static_cast<const kernel::u8*>(Phys::ToVirt(g_info.initrd_phys)), g_info.initrd_size};
}

const char* Boot::ProtocolName() { return g_info.protocol; }

}  // namespace hal::x86_64
