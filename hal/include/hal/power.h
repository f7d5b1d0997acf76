#pragma once
/// The power/exit concern. `Exit` ends the machine with a status a test harness can read
/// (QEMU's isa-debug-exit on x86_64, the host process's exit status on hostsim); `PowerOff`
/// and `Reboot` are what `poweroff`/`reboot` ask for.
#include <concepts>

namespace hal {

template <typename T>
concept PowerBackend = requires(int status) {
  { T::Exit(status) } -> std::same_as<void>;
  { T::PowerOff() } -> std::same_as<void>;
  { T::Reboot() } -> std::same_as<void>;
};

}  // namespace hal

#include <hal/backend/power.h>

namespace hal {
static_assert(PowerBackend<PowerImpl>, "the HAL backend's power does not meet the contract");
using Power = PowerImpl;
}  // namespace hal
