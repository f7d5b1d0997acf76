// A kernel bug found at run time: say so loudly, with a backtrace, and stop the machine with
// a failure status a harness can see.
#include <hal/cpu.h>
#include <hal/interrupts.h>
#include <hal/power.h>

#include "kernel/debug/log.h"
#include "kernel/debug/symbols.h"
#include "kernel/lib/format.h"
#include "kernel/lib/result.h"

namespace kernel {
namespace {
bool g_in_panic = false;

class LogSink final : public lib::FormatSink {
 public:
  void Put(const char* s, usize n) override { log::Write(s, n); }
};
}  // namespace

/// Exit status of a panicked machine (QEMU reports (v<<1)|1 = 255 for 127).
inline constexpr int kPanicExitStatus = 127;

void Panic(const char* fmt, ...) {
  hal::Interrupts::Disable();
  LogSink sink;
  if (g_in_panic) {
    log::Write("\nKERNEL PANIC (nested)\n", 23);
    hal::Power::Exit(kPanicExitStatus);
  }
  g_in_panic = true;
  log::Write("\nKERNEL PANIC: ", 15);
  va_list args;
  va_start(args, fmt);
  lib::VFormat(sink, fmt, args);
  va_end(args);
  log::Write("\n", 1);
  u64 frames[32];
  usize n = hal::Cpu::Backtrace(frames, 32);
  lib::Format(sink, "backtrace (%zu frames):\n", n);
  for (usize i = 0; i < n; ++i) {
    // Look up the call instruction (ret - 1): a call to a noreturn function can be the last
    // instruction of its caller, and its return address then belongs to the next function.
    debug::SymbolInfo sym;
    if (debug::LookupSymbol(frames[i] - 1, &sym)) {
      lib::Format(sink, "  #%zu %#018lx %s+%#lx\n", i, frames[i], sym.name, sym.offset + 1);
    } else {
      lib::Format(sink, "  #%zu %#018lx\n", i, frames[i]);
    }
  }
  hal::Power::Exit(kPanicExitStatus);
  __builtin_unreachable();
}

}  // namespace kernel
