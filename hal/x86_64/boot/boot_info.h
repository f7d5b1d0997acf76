#pragma once
// What the boot protocol handed over, copied out of the loader's memory before the kernel can
// reuse it: the firmware memory map, the command line, the initrd and the ACPI RSDP.
#include "hal/x86_64/cpu/x86.h"

namespace hal::x86_64 {

/// E820 memory types, which PVH's memmap and Multiboot2's tag 6 share [acpi 6.4 §15].
enum class MemType : u32 { kRam = 1, kReserved = 2, kAcpiReclaimable = 3, kAcpiNvs = 4, kBad = 5 };

struct FirmwareRange {
  u64 base;
  u64 size;
  MemType type;
};

struct BootInfo {
  static constexpr usize kMaxRanges = 128;
  FirmwareRange memmap[kMaxRanges];
  usize memmap_count = 0;
  bool memmap_truncated = false;
  char cmdline[2048] = {};  ///< Linux x86 COMMAND_LINE_SIZE
  usize cmdline_len = 0;
  bool cmdline_truncated = false;
  u64 initrd_phys = 0;  ///< 0 when no module was given
  u64 initrd_size = 0;
  u64 rsdp_phys = 0;      ///< 0 when the loader did not say; ACPI then scans the BIOS areas
  u8 rsdp_copy[36] = {};  ///< Multiboot2 hands a copy of the RSDP, not its address (tags 14/15)
  bool has_rsdp_copy = false;
  const char* protocol = "unknown";
};

/// Parsed once by BootMain; read-only afterwards.
const BootInfo& GetBootInfo();

/// Fills the boot info from the registers the loader left. Boot structures are reached through
/// the boot page tables' 4 GiB window at kDirectMapBase. Returns false when neither protocol
/// is recognised.
bool ParseBootInfo(u32 magic, u64 info_phys);

}  // namespace hal::x86_64
