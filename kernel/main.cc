// The kernel's entry once the HAL has set up the machine.
#include <hal/boot.h>
#include <hal/power.h>

#include "kernel/debug/log.h"
#include "kernel/version.h"

namespace hal::hooks {

void KernelMain() {
  LOG_INFO("Aramid %s (x86_64), booted by %s\n", kernel::kVersion, hal::Boot::ProtocolName());
  auto cmdline = hal::Boot::CommandLine();
  LOG_INFO("command line: %.*s\n", static_cast<int>(cmdline.size()), cmdline.data());
  // TODO(#3): memory, initramfs and PID 1. Until then the banner is all there is.
  LOG_INFO("no init yet: powering off\n");
  hal::Power::Exit(0);
}

}  // namespace hal::hooks
