#pragma once
// hostsim interrupts: a flag. Nothing interrupts the single host thread asynchronously; the
// tick is delivered at trap boundaries and in Idle() from the virtual clock.
namespace hal::hostsim {

struct Interrupts {
  static void Disable();
  static void Enable();
  static bool Enabled();
  static IrqState SaveAndDisable();
  static void Restore(IrqState s);
  static void StartTick(kernel::u32 hz);
};

}  // namespace hal::hostsim

namespace hal {
using InterruptsImpl = hostsim::Interrupts;
}
