#pragma once
// hostsim console: port 0 is the host's stdout (and stdin), port 1 its stderr, unless the
// machine redirects them (tests capture them in memory).
namespace hal::hostsim {

struct Console {
  static bool Present(unsigned port);
  static void Write(unsigned port, const char* data, kernel::usize n);
  static void EnableInput(unsigned port);
};

}  // namespace hal::hostsim

namespace hal {
using ConsoleImpl = hostsim::Console;
}
