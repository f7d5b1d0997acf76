#pragma once
/// The kernel command line: `init=PATH`, `loglevel=N`, `debug=FLAG[,FLAG...]`,
/// `console=ttyS0|ttyS1`, `quiet`, and everything after `--` handed to init as arguments.
/// An unknown key or a bad value is an error: the boot path reports it and powers off with
/// a failure status rather than run with a configuration nobody asked for.
#include <string_view>

#include "kernel/lib/types.h"

namespace kernel::boot {

/// `debug=` flags.
enum DebugFlag : u32 {
  kDebugSyscall = 1u << 0,    ///< trace every syscall
  kDebugFault = 1u << 1,      ///< print registers and recent syscalls of a task killed by a fault
  kDebugPanicTest = 1u << 2,  ///< panic on purpose during boot (tests the panic path)
  kDebugUserTest = 1u << 3,   ///< the HAL's self-contained user-mode test instead of init
  kDebugPageFault = 1u << 4,  ///< log every page fault
  kDebugInputTest = 1u << 5,  ///< the HAL echoes one line of interrupt-driven console input
  kDebugDoubleFaultTest = 1u << 6,  ///< overflow the kernel stack on purpose (#DF on its IST)
  kDebugNmiTest = 1u << 7,          ///< send this CPU an NMI (reported from its IST stack)
  kDebugForcePic = 1u << 8,         ///< route ISA IRQs through the 8259 PICs even with an I/O APIC
  kDebugUserFuzz = 1u << 9,         ///< the HAL runs random user code and checks it only ever traps
};

struct CommandLine {
  static constexpr usize kMaxPath = 256;
  static constexpr usize kMaxInitArgs = 16;
  static constexpr usize kArgStorage = 512;

  char init[kMaxPath] = "/sbin/init";
  int loglevel = 6;  ///< kernel::log::Level::kInfo
  unsigned console_port = 0;
  u32 debug = 0;
  /// Arguments after `--`, NUL-terminated strings inside arg_storage.
  const char* init_args[kMaxInitArgs] = {};
  usize init_argc = 0;
  char arg_storage[kArgStorage] = {};

  bool Debug(DebugFlag f) const { return (debug & f) != 0; }
};

/// Parses `text` into `out` (which starts from the defaults). On an error returns false and
/// writes a one-line message into `error` (NUL-terminated, cut at `error_len`).
bool ParseCommandLine(std::string_view text, CommandLine& out, char* error, usize error_len);

/// The command line the kernel booted with (defaults until SetCommandLine).
const CommandLine& Get();
void SetCommandLine(const CommandLine& cl);

}  // namespace kernel::boot
