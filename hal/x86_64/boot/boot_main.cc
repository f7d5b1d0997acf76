// The first C++ on x86_64: find out which protocol booted us, keep what it handed over, and
// enter the kernel. Runs on the boot stack with the first 1 GiB mapped at KERNEL_VMA.
#include <hal/boot.h>
#include <hal/kernel_hooks.h>

#include "kernel/lib/types.h"

namespace hal::x86_64 {
namespace {

using kernel::u32;
using kernel::u64;

constexpr u64 kKernelVma = 0xffff'ffff'8000'0000ull;
constexpr u32 kPvhMagic = 0x336ec578;         // hvm_start_info.magic [xen arch-x86/hvm/start_info.h]
constexpr u32 kMultiboot2Magic = 0x36d76289;  // eax on entry [multiboot2 §3.3]

// Boot structures live below 1 GiB, which the boot page tables map at kKernelVma.
template <typename T>
const T* Early(u64 phys) {
  return reinterpret_cast<const T*>(kKernelVma + phys);
}

struct PvhStartInfo {
  u32 magic, version, flags, nr_modules;
  u64 modlist_paddr, cmdline_paddr, rsdp_paddr, memmap_paddr;
  u32 memmap_entries, reserved;
};

const char* g_protocol = "unknown";
char g_cmdline[1024];
kernel::usize g_cmdline_len;

void KeepCommandLine(const char* s) {
  kernel::usize n = 0;
  while (s[n] && n + 1 < sizeof(g_cmdline)) {
    g_cmdline[n] = s[n];
    ++n;
  }
  g_cmdline[n] = '\0';
  g_cmdline_len = n;
}

}  // namespace

std::string_view Boot::CommandLine() { return {g_cmdline, g_cmdline_len}; }
std::span<const kernel::u8> Boot::Initrd() { return {}; }  // TODO(#3): PVH modules, MB2 tag 3
const char* Boot::ProtocolName() { return g_protocol; }

}  // namespace hal::x86_64

extern "C" [[noreturn]] void aramid_boot_main(kernel::u32 magic, kernel::u64 info) {
  using namespace hal::x86_64;
  if (info != 0 && Early<PvhStartInfo>(info)->magic == kPvhMagic) {
    g_protocol = "pvh";
    const auto* si = Early<PvhStartInfo>(info);
    if (si->cmdline_paddr) KeepCommandLine(Early<char>(si->cmdline_paddr));
  } else if (magic == kMultiboot2Magic) {
    g_protocol = "multiboot2";
    u32 total = *Early<u32>(info);
    for (u64 off = 8; off + 8 <= total;) {
      u32 type = *Early<u32>(info + off);
      u32 size = *Early<u32>(info + off + 4);
      if (type == 0) break;
      if (type == 1) KeepCommandLine(Early<char>(info + off + 8));
      off += (size + 7) & ~7u;
    }
  }
  hal::hooks::KernelMain();
}
