#pragma once
// hostsim boot information: what the simulated machine was configured with.
namespace hal::hostsim {

struct Boot {
  static std::string_view CommandLine();
  static std::span<const kernel::u8> Initrd();
  static const char* ProtocolName() { return "hostsim"; }
};

}  // namespace hal::hostsim

namespace hal {
using BootImpl = hostsim::Boot;
}
