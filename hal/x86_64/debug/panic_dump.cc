// Register dumps for kernel-mode exceptions. Printing never allocates and uses only the
// polled console, so it works with interrupts off and from IST stacks.
#include "hal/x86_64/debug/panic_dump.h"

#include "kernel/debug/log.h"
#include "kernel/debug/page_inspect.h"
#include "kernel/debug/symbols.h"
#include "kernel/lib/format.h"
#include "kernel/lib/result.h"

extern "C" char aramid_text_start[], aramid_text_end[];

namespace hal::x86_64 {
namespace {

class RawSink final : public kernel::lib::FormatSink {
 public:
  void Put(const char* s, usize n) override { kernel::log::Write(s, n); }
};

void Print(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void Print(const char* fmt, ...) {
  RawSink sink;
  va_list args;
  va_start(args, fmt);
  kernel::lib::VFormat(sink, fmt, args);
  va_end(args);
}

constexpr const char* kNames[32] = {"divide error",
                                    "debug",
                                    "non-maskable interrupt",
                                    "breakpoint",
                                    "overflow",
                                    "bound range exceeded",
                                    "invalid opcode",
                                    "device not available",
                                    "double fault",
                                    "coprocessor segment overrun",
                                    "invalid TSS",
                                    "segment not present",
                                    "stack-segment fault",
                                    "general protection fault",
                                    "page fault",
                                    "reserved (15)",
                                    "x87 floating-point error",
                                    "alignment check",
                                    "machine check",
                                    "SIMD floating-point error",
                                    "virtualization exception",
                                    "control protection exception",
                                    "reserved (22)",
                                    "reserved (23)",
                                    "reserved (24)",
                                    "reserved (25)",
                                    "reserved (26)",
                                    "reserved (27)",
                                    "hypervisor injection",
                                    "VMM communication",
                                    "security exception",
                                    "reserved (31)"};

}  // namespace

const char* VectorName(u64 vector) { return vector < 32 ? kNames[vector] : "interrupt"; }

void PanicWithFrame(const TrapFrame& f, const char* what) {
  kernel::debug::SymbolInfo sym{};
  bool have_sym = kernel::debug::LookupSymbol(f.rip, &sym);
  Print("\n--- %s: %s (vector %lu, error code %#lx) at %#018lx %s%s%#lx ---\n", what,
        VectorName(f.vector), f.vector, f.error_code, f.rip, have_sym ? sym.name : "",
        have_sym ? "+" : "", have_sym ? sym.offset : 0);
  if (f.vector == 14) {
    Print("page fault: %s access to %#018lx (%s, %s)\n",
          (f.error_code & 2)    ? "write"
          : (f.error_code & 16) ? "instruction"
                                : "read",
          ReadCr2(), (f.error_code & 1) ? "protection violation" : "not present",
          (f.error_code & 4) ? "user" : "kernel");
  }
  Print("RIP: %04lx:%016lx RFLAGS: %016lx RSP: %04lx:%016lx\n", f.cs, f.rip, f.rflags, f.ss, f.rsp);
  Print("RAX: %016lx RBX: %016lx RCX: %016lx\n", f.rax, f.rbx, f.rcx);
  Print("RDX: %016lx RSI: %016lx RDI: %016lx\n", f.rdx, f.rsi, f.rdi);
  Print("RBP: %016lx R8:  %016lx R9:  %016lx\n", f.rbp, f.r8, f.r9);
  Print("R10: %016lx R11: %016lx R12: %016lx\n", f.r10, f.r11, f.r12);
  Print("R13: %016lx R14: %016lx R15: %016lx\n", f.r13, f.r14, f.r15);
  {
    const u64* raw = &f.vector;
    // vector, error code, rip, cs, rflags, rsp, ss and what lies above: when the frame itself
    // is wrong (a stub/CPU disagreement), this is what shows it.
    Print("Frame at %p:", static_cast<const void*>(raw));
    for (int i = 0; i < 10; ++i) Print(" %lx", raw[i]);
    Print("\n");
  }
  Print("CR0: %016lx CR2: %016lx CR3: %016lx CR4: %016lx\n", ReadCr0(), ReadCr2(), ReadCr3(),
        ReadCr4());
  if (f.vector == 14) {  // what the page tables say about the faulting address
    kernel::debug::InspectAddress(hal::PageTableRoot{ReadCr3() & hal::pte::kAddressMask},
                                  ReadCr2());
  }
  // The instruction bytes, when rip is inside the kernel text (reading elsewhere could fault).
  if (f.rip >= reinterpret_cast<u64>(aramid_text_start) &&
      f.rip + 16 <= reinterpret_cast<u64>(aramid_text_end)) {
    Print("Code:");
    const auto* code = reinterpret_cast<const u8*>(f.rip);
    for (int i = 0; i < 16; ++i) Print(" %02x", code[i]);
    Print("\n");
  } else {
    Print("Code: <rip outside kernel text>\n");
  }
  kernel::Panic("%s in kernel mode at %s+%#lx", VectorName(f.vector), have_sym ? sym.name : "?",
                have_sym ? sym.offset : f.rip);
}

}  // namespace hal::x86_64
