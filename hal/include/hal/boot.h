#pragma once
/// The boot concern: what the boot protocol handed over (PVH, Multiboot2, or hostsim's machine
/// configuration): the kernel command line and the initial ramdisk.
#include <concepts>
#include <span>
#include <string_view>

#include <hal/types.h>

namespace hal {

template <typename T>
concept BootBackend = requires {
  { T::CommandLine() } -> std::same_as<std::string_view>;
  /// The initrd (cpio newc, optionally gzip) as the kernel sees it through the direct map;
  /// empty when none was given.
  { T::Initrd() } -> std::same_as<std::span<const kernel::u8>>;
  /// Which protocol booted us ("pvh", "multiboot2", "hostsim"), for the banner and tests.
  { T::ProtocolName() } -> std::same_as<const char*>;
};

}  // namespace hal

#include <hal/backend/boot.h>

namespace hal {
static_assert(BootBackend<BootImpl>, "the HAL backend's boot does not meet the contract");
using Boot = BootImpl;
}  // namespace hal
