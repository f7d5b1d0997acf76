#pragma once
// Turning what the host reports about a stopped stub into what the kernel expects from
// EnterUser. Pure functions, tested without a stub (tests/sim_native/fault_decode_test.cc).
//
// ptrace does not give the page-fault error code (it is only in a signal frame), so the access
// type comes from what the tracer knows: what the stub has mirrored, with which rights, and
// where the instruction pointer is.
//  - The page is mirrored: the host refused an access the mirror's rights forbid. A mirror is
//    always readable, so the access was a write (no PROT_WRITE) or a fetch (no PROT_EXEC);
//    when both are missing it is a fetch if the address is the instruction pointer (or just
//    past it, across a page boundary) and a write otherwise.
//  - The page is not mirrored: a fetch when the address is the instruction pointer or the
//    instruction's own page is not executable in the stub, else a read. A write reported as a
//    read is not wrong, only slower: whatever the kernel maps is mirrored with the page's
//    rights, and if they do not allow the write the retry faults on a mirrored page, which
//    tells the write apart.
#include <signal.h>

#include <cstddef>
#include <cstdint>

#include <hal/cpu.h>

namespace hal::hostsim::native {

enum class Access : uint8_t { kRead, kWrite, kExecute };

/// What the tracer knows about a SIGSEGV page fault at `addr`.
struct FaultFacts {
  uint64_t addr = 0;
  uint64_t rip = 0;
  bool user_half = true;        ///< addr is below the end of the user half
  bool mirrored = false;        ///< the page is mirrored in the stub...
  int mirror_prot = 0;          ///< ...with these PROT_* rights
  bool rip_executable = false;  ///< rip's page is mirrored with PROT_EXEC
  bool pte_present = false;     ///< the page-table entry is present (and user)
  bool pte_read = false, pte_write = false, pte_exec = false;  ///< what it allows user mode
};

struct FaultDecision {
  enum class Kind : uint8_t {
    kFill,         ///< mirror the page (its PTE allows the access) and retry; no kernel
    kKernelFault,  ///< a #PF for the kernel: `error_code` holds pf:: bits
  } kind;
  Access access;
  uint64_t error_code = 0;
};

FaultDecision ClassifyPageFault(const FaultFacts& f);

/// PROT_* rights of a page whose PTE allows these accesses.
int ProtFor(bool read, bool write, bool exec);

/// The exception behind a fault signal that is not a page fault (SIGILL, SIGFPE, SIGBUS,
/// SIGTRAP, SIGSEGV with SI_KERNEL = #GP). `x87_error` says whether the x87 status word has
/// its error-summary bit set (a SIGFPE from x87 rather than SSE). False when `info` is not a
/// fault the user instruction stream raised (a signal sent by someone).
bool FaultTrap(const siginfo_t& info, bool x87_error, Trap* trap);

/// Instructions native mode emulates when they fault: rdtsc and rdtscp (PR_SET_TSC makes them
/// #GP) and cpuid (with CPUID faulting, where the host has it).
enum class Emulated : uint8_t { kNone, kRdtsc, kRdtscp, kCpuid };
/// Decodes the instruction at the start of `bytes` (n bytes available); `length` is its size.
Emulated DecodeEmulated(const uint8_t* bytes, size_t n, size_t* length);

}  // namespace hal::hostsim::native
