#pragma once
// x86_64 console: 16550 UARTs, COM1 (port 0) and COM2 (port 1).
namespace hal::x86_64 {

struct Console {
  static bool Present(unsigned port);
  static void Write(unsigned port, const char* data, kernel::usize n);
  static void EnableInput(unsigned port);
};

}  // namespace hal::x86_64

namespace hal {
using ConsoleImpl = x86_64::Console;
}
