#pragma once
// Receive statistics of the 16550 driver, for `debug=inputtest` and the boot log.
#include "hal/x86_64/cpu/x86.h"

namespace hal::x86_64 {

struct UartStats {
  u64 interrupts = 0;  ///< receive interrupts taken since EnableInput
  u64 received = 0;    ///< bytes handed to hal::hooks::OnConsoleInput
  u8 recent[64] = {};  ///< the last bytes received (a ring indexed by received % 64)
};

const UartStats& GetUartStats(unsigned port);

}  // namespace hal::x86_64
