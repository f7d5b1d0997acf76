#pragma once
// Boot-time self tests selected with `debug=` (tests/qemu uses them): `panic-test` faults in
// the kernel on purpose; `usertest` runs a tiny user program through Cpu::EnterUser and checks
// every trap, without the kernel's scheduler. Both end the machine.
#include "kernel/boot/cmdline.h"

namespace hal::x86_64 {

void RunBootSelfTests(const kernel::boot::CommandLine& cl);

/// Faults on an unmapped kernel address; the panic must name this function.
[[noreturn]] void PanicTestTrigger();

/// Returns 0 when every check passed (and prints them), else the number of failures.
int RunUserTest();

/// Random user code; returns 0 when the kernel survived and the expected traps were seen.
int RunUserFuzz();

}  // namespace hal::x86_64
