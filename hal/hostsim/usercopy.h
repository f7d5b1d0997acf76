#pragma once
// Host-side controls of hostsim's user copies (hal::UserCopy). Host code.
#include <hal/types.h>

namespace hal::hostsim {

/// What a user copy calls when it faults: (address, #PF error code) -> true when the page
/// was made accessible and the access should be retried. By default the kernel's
/// hal::hooks::OnKernelUserFault; tests of the HAL alone install their own.
using KernelUserFaultHandler = bool (*)(u64 address, u64 error_code);
/// nullptr restores the default.
void SetKernelUserFaultHandler(KernelUserFaultHandler handler);

/// How many faults one page of a copy may take and still be retried. A read fault, a write
/// fault and a copy-on-write break are each one; a handler that keeps claiming success
/// without fixing the page would otherwise loop for ever.
inline constexpr int kMaxFaultsPerPage = 4;

}  // namespace hal::hostsim
