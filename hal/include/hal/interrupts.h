#pragma once
/// The interrupts/timer concern: masking interrupts on this CPU and the periodic tick that
/// drives time slices and timers. Interrupt handlers call back into the kernel through
/// hal/kernel_hooks.h (OnTimerTick, OnConsoleInput); they never switch tasks themselves.
#include <concepts>

#include <hal/types.h>

namespace hal {

/// Opaque saved interrupt state (RFLAGS.IF on x86_64).
struct IrqState {
  kernel::u64 value;
};

template <typename T>
concept InterruptsBackend = requires(IrqState s, kernel::u32 hz) {
  { T::Disable() } -> std::same_as<void>;
  { T::Enable() } -> std::same_as<void>;
  { T::Enabled() } -> std::same_as<bool>;
  { T::SaveAndDisable() } -> std::same_as<IrqState>;
  { T::Restore(s) } -> std::same_as<void>;
  /// Start the periodic tick at `hz`; each tick calls hal::hooks::OnTimerTick().
  { T::StartTick(hz) } -> std::same_as<void>;
};

}  // namespace hal

#include <hal/backend/interrupts.h>

namespace hal {
static_assert(InterruptsBackend<InterruptsImpl>,
              "the HAL backend's interrupts do not meet the contract");
using Interrupts = InterruptsImpl;

/// Interrupts off for a scope; restores the previous state (nesting is fine).
class IrqGuard {
 public:
  IrqGuard() : saved_(Interrupts::SaveAndDisable()) {}
  ~IrqGuard() { Interrupts::Restore(saved_); }
  IrqGuard(const IrqGuard&) = delete;
  IrqGuard& operator=(const IrqGuard&) = delete;

 private:
  IrqState saved_;
};
}  // namespace hal
