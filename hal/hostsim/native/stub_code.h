#pragma once
// The machine code a stub process runs when the tracer makes it do something on its own
// behalf (map a mirrored page, unmap, re-protect). It lives in the first page of the stub's
// control area (see stub.h); user code never runs it, because the stub only executes with
// PTRACE_CONT while the tracer injects work, and under PTRACE_SYSEMU otherwise (where even a
// user jump into it just becomes an emulated system call). Host code.
#include <cstddef>
#include <cstdint>

namespace hal::hostsim::native {

/// One system call of a batch, as the stub's loop reads it from its command page.
struct StubCommand {
  int64_t nr;        ///< system call number; -1 ends the batch
  uint64_t args[6];  ///< rdi, rsi, rdx, r10, r8, r9
  int64_t result;    ///< rax after the call (-errno on failure), written by the stub
};
static_assert(sizeof(StubCommand) == 64);

/// Offsets into the code page.
inline constexpr size_t kStubSyscallGadget = 0;  ///< `syscall; int3`: one call from registers
inline constexpr size_t kStubRdtscProbe = 8;     ///< `rdtsc; int3`: does rdtsc fault here?
inline constexpr size_t kStubBatchLoop = 16;     ///< runs the commands at %rbx, then `int3`

/// The code page's bytes (the two routines above) and their length.
const uint8_t* StubCodeBytes();
size_t StubCodeSize();

}  // namespace hal::hostsim::native
