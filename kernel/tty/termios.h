#pragma once
/// Terminal attributes as Linux's ioctls exchange them: `struct termios` (TCGETS/TCSETS),
/// `struct termios2` (TCGETS2, with explicit speeds), `struct winsize`, and the flag and
/// control-character constants [linux include/uapi/asm-generic/termbits*.h, ioctls.h;
/// man 3 termios]. tty/termios_test.cc checks them against the host's headers.
#include "kernel/lib/types.h"

namespace kernel::tty {

inline constexpr usize kNccs = 19;

// c_cc indices
inline constexpr usize kVIntr = 0, kVQuit = 1, kVErase = 2, kVKill = 3, kVEof = 4, kVTime = 5,
                       kVMin = 6, kVSwtc = 7, kVStart = 8, kVStop = 9, kVSusp = 10, kVEol = 11,
                       kVReprint = 12, kVDiscard = 13, kVWerase = 14, kVLnext = 15, kVEol2 = 16;

// c_iflag
inline constexpr u32 kIgnBrk = 0x1, kBrkInt = 0x2, kIgnPar = 0x4, kParMrk = 0x8, kInPck = 0x10,
                     kIStrip = 0x20, kInlCr = 0x40, kIgnCr = 0x80, kICrNl = 0x100, kIUclc = 0x200,
                     kIXon = 0x400, kIXany = 0x800, kIXoff = 0x1000, kIMaxBel = 0x2000,
                     kIUtf8 = 0x4000;
// c_oflag
inline constexpr u32 kOPost = 0x1, kOLcuc = 0x2, kONlCr = 0x4, kOCrNl = 0x8, kONoCr = 0x10,
                     kONlRet = 0x20, kTabDly = 0x1800, kXTabs = 0x1800;
// c_cflag
inline constexpr u32 kCBaud = 0x100f, kB9600 = 0xd, kB38400 = 0xf, kB115200 = 0x1002, kCSize = 0x30,
                     kCS8 = 0x30, kCStopB = 0x40, kCRead = 0x80, kParEnb = 0x100, kHupCl = 0x400,
                     kCLocal = 0x800, kCIBaud = 0x100f0000;
// c_lflag
inline constexpr u32 kISig = 0x1, kICanon = 0x2, kEcho = 0x8, kEchoE = 0x10, kEchoK = 0x20,
                     kEchoNl = 0x40, kNoFlsh = 0x80, kToStop = 0x100, kEchoCtl = 0x200,
                     kEchoPrt = 0x400, kEchoKe = 0x800, kFlushO = 0x1000, kPendIn = 0x4000,
                     kIExten = 0x8000, kExtProc = 0x10000;

/// The kernel's `struct termios` (what TCGETS/TCSETS copy; no speed fields).
struct Termios {
  u32 iflag;
  u32 oflag;
  u32 cflag;
  u32 lflag;
  u8 line;
  u8 cc[kNccs];
};
static_assert(sizeof(Termios) == 36);

/// `struct termios2` (TCGETS2/TCSETS2): termios plus input and output speeds.
struct Termios2 {
  Termios t;
  u32 ispeed;
  u32 ospeed;
};
static_assert(sizeof(Termios2) == 44);

struct Winsize {
  u16 row;
  u16 col;
  u16 xpixel;
  u16 ypixel;
};
static_assert(sizeof(Winsize) == 8);

/// Linux's defaults for a new terminal [linux tty_std_termios, INIT_C_CC]: ^C ^\ DEL ^U ^D
/// TIME=0 MIN=1 ... ^S ^Q ^Z ... ^R ^O ^W ^V.
constexpr Termios StandardTermios() {
  Termios t{};
  t.iflag = kICrNl | kIXon;
  t.oflag = kOPost | kONlCr;
  t.cflag = kB38400 | kCS8 | kCRead | kHupCl;
  t.lflag = kISig | kICanon | kEcho | kEchoE | kEchoK | kEchoCtl | kEchoKe | kIExten;
  const u8 cc[kNccs] = {3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0};
  for (usize i = 0; i < kNccs; ++i) t.cc[i] = cc[i];
  return t;
}

/// A new pty slave's defaults: the standard ones without HUPCL [linux pty.c unix98_pty_init,
/// pts_driver->init_termios.c_cflag = B38400 | CS8 | CREAD].
constexpr Termios PtySlaveTermios() {
  Termios t = StandardTermios();
  t.cflag = kB38400 | kCS8 | kCRead;
  return t;
}

/// The baud rate a CBAUD code stands for (0 for B0 or an unknown code).
u32 BaudOf(u32 cflag);

// ioctl request numbers [linux include/uapi/asm-generic/ioctls.h]
inline constexpr u32 kTcGets = 0x5401, kTcSets = 0x5402, kTcSetsW = 0x5403, kTcSetsF = 0x5404,
                     kTcSbrk = 0x5409, kTcXonc = 0x540A, kTcFlsh = 0x540B, kTiocExcl = 0x540C,
                     kTiocNxcl = 0x540D, kTiocSctty = 0x540E, kTiocGpgrp = 0x540F,
                     kTiocSpgrp = 0x5410, kTiocOutq = 0x5411, kTiocSti = 0x5412,
                     kTiocGwinsz = 0x5413, kTiocSwinsz = 0x5414, kFionread = 0x541B,
                     kTiocNotty = 0x5422, kTcSbrkp = 0x5425, kTiocGsid = 0x5429,
                     kTcGets2 = 0x802c542a, kTcSets2 = 0x402c542b, kTcSetsW2 = 0x402c542c,
                     kTcSetsF2 = 0x402c542d, kTiocGptn = 0x80045430, kTiocSptlck = 0x40045431,
                     kTiocGdev = 0x80045432, kTiocVhangup = 0x5437, kTiocGptpeer = 0x5441,
                     kFionbio = 0x5421, kTiocGexcl = 0x80045440, kTiocGlcktrmios = 0x5456,
                     kTiocSlcktrmios = 0x5457;

// TCFLSH / TCXONC arguments
inline constexpr int kTciFlush = 0, kTcoFlush = 1, kTcioFlush = 2;
inline constexpr int kTcoOff = 0, kTcoOn = 1, kTciOff = 2, kTciOn = 3;

}  // namespace kernel::tty
