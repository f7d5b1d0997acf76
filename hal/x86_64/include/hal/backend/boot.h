#pragma once
// x86_64 boot information, parsed from PVH start info or the Multiboot2 information structure.
namespace hal::x86_64 {

struct Boot {
  static std::string_view CommandLine();
  static std::span<const kernel::u8> Initrd();
  static const char* ProtocolName();
};

}  // namespace hal::x86_64

namespace hal {
using BootImpl = x86_64::Boot;
}
