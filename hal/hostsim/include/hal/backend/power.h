#pragma once
// hostsim power: ends the simulated machine (the machine decides whether that ends the host
// process or unwinds to the test that ran it).
namespace hal::hostsim {

struct Power {
  [[noreturn]] static void Exit(int status);
  [[noreturn]] static void PowerOff();
  [[noreturn]] static void Reboot();
};

}  // namespace hal::hostsim

namespace hal {
using PowerImpl = hostsim::Power;
}
