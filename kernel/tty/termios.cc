#include "kernel/tty/termios.h"

namespace kernel::tty {

u32 BaudOf(u32 cflag) {
  // [linux tty_baudrate.c baud_table]
  static constexpr u32 kLow[] = {0,   50,   75,   110,  134,  150,  200,   300,
                                 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400};
  static constexpr u32 kHigh[] = {0,       57600,   115200,  230400,  460800,  500000,
                                  576000,  921600,  1000000, 1152000, 1500000, 2000000,
                                  2500000, 3000000, 3500000, 4000000};
  const u32 code = cflag & kCBaud;
  if ((code & 0x1000) == 0) return kLow[code & 0xf];
  return kHigh[code & 0xf];
}

}  // namespace kernel::tty
