#pragma once
/// The console concern: byte-oriented serial ports. On x86_64, port 0 is COM1 (ttyS0) and
/// port 1 is COM2 (ttyS1); on hostsim they are the host's standard output and standard error
/// (input comes from standard input on port 0). Received bytes reach the kernel through
/// hal::hooks::OnConsoleInput, from the interrupt handler (x86_64) or from Cpu::Idle (hostsim).
#include <concepts>

#include <hal/types.h>

namespace hal {

inline constexpr unsigned kConsolePorts = 2;

template <typename T>
concept ConsoleBackend = requires(unsigned port, const char* data, kernel::usize n) {
  /// Whether the port exists on this machine.
  { T::Present(port) } -> std::same_as<bool>;
  /// Write bytes, polling the transmitter; safe with interrupts off and from a panic.
  { T::Write(port, data, n) } -> std::same_as<void>;
  /// Deliver received bytes through hal::hooks::OnConsoleInput from now on.
  { T::EnableInput(port) } -> std::same_as<void>;
};

}  // namespace hal

#include <hal/backend/console.h>

namespace hal {
static_assert(ConsoleBackend<ConsoleImpl>, "the HAL backend's console does not meet the contract");
using Console = ConsoleImpl;
}  // namespace hal
