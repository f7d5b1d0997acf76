// See fault_decode.h.
#include "hal/hostsim/native/fault_decode.h"

#include <sys/mman.h>

namespace hal::hostsim::native {
namespace {

constexpr uint64_t kPage = 4096;
// The longest x86 instruction [intel-sdm 2 §2.3.11].
constexpr uint64_t kMaxInstruction = 15;

// An instruction that starts on an executable page and runs into the next one fetches the
// next page's first bytes: a fault there, within an instruction's length of rip, may be it.
bool MaybeStraddlingFetch(const FaultFacts& f) {
  return f.addr % kPage == 0 && f.addr > f.rip && f.addr - f.rip < kMaxInstruction;
}

bool Allowed(const FaultFacts& f, Access a) {
  switch (a) {
    case Access::kRead:
      return f.pte_read;
    case Access::kWrite:
      return f.pte_write;
    case Access::kExecute:
      return f.pte_exec;
  }
  return false;
}

}  // namespace

int ProtFor(bool read, bool write, bool exec) {
  return (read ? PROT_READ : 0) | (write ? PROT_WRITE : 0) | (exec ? PROT_EXEC : 0);
}

FaultDecision ClassifyPageFault(const FaultFacts& f) {
  if (!f.user_half) {
    // A kernel-half address: the hardware reports a protection fault on a present
    // supervisor page.
    bool fetch = f.addr == f.rip;
    return {FaultDecision::Kind::kKernelFault, fetch ? Access::kExecute : Access::kRead,
            pf::kPresent | pf::kUser | (fetch ? pf::kInstruction : 0)};
  }
  const bool fetch_certain = f.addr == f.rip || !f.rip_executable;
  Access access = fetch_certain ? Access::kExecute : Access::kRead;
  if (f.mirrored) {
    const bool no_write = (f.mirror_prot & PROT_WRITE) == 0;
    const bool no_exec = (f.mirror_prot & PROT_EXEC) == 0;
    if (no_write && no_exec) {
      access = fetch_certain || MaybeStraddlingFetch(f) ? Access::kExecute : Access::kWrite;
    } else if (no_write) {
      access = Access::kWrite;
    } else if (no_exec) {
      access = Access::kExecute;
    }
    // With every right mirrored the mirror disagrees with the host (it should not happen):
    // the not-mirrored guess stands, and the fill below puts the page back.
  }
  if (Allowed(f, access)) {
    return {FaultDecision::Kind::kFill, access, 0};
  }
  uint64_t code = pf::kUser;
  if (f.pte_present) code |= pf::kPresent;
  if (access == Access::kWrite) code |= pf::kWrite;
  if (access == Access::kExecute) code |= pf::kInstruction;
  return {FaultDecision::Kind::kKernelFault, access, code};
}

bool FaultTrap(const siginfo_t& info, bool x87_error, Trap* trap) {
  // A signal queued by kill/tgkill/sigqueue is not an exception.
  if (info.si_code == SI_USER || info.si_code == SI_TKILL || info.si_code == SI_QUEUE) {
    return false;
  }
  trap->kind = TrapKind::kFault;
  trap->error_code = 0;
  trap->address = 0;
  switch (info.si_signo) {
    case SIGILL:
      trap->vector = vec::kInvalidOpcode;
      return true;
    case SIGFPE:
      // Linux: #DE gives FPE_INTDIV (and FPE_INTOVF for a quotient overflow); x87 and SIMD
      // errors give the FPE_FLT* codes [linux arch/x86/kernel/traps.c].
      if (info.si_code == FPE_INTDIV || info.si_code == FPE_INTOVF) {
        trap->vector = vec::kDivide;
      } else {
        trap->vector = x87_error ? vec::kX87 : vec::kSimd;
      }
      return true;
    case SIGBUS:
      // #AC gives BUS_ADRALN; #SS gives SIGBUS with SI_KERNEL.
      trap->vector = info.si_code == BUS_ADRALN ? vec::kAlignmentCheck : vec::kStackSegment;
      return true;
    case SIGTRAP:
      // int3 is SI_KERNEL; a single step or a hardware breakpoint is TRAP_TRACE/TRAP_HWBKPT.
      trap->vector = info.si_code == SI_KERNEL ? vec::kBreakpoint : vec::kDebug;
      return true;
    case SIGSEGV:
      if (info.si_code != SI_KERNEL) return false;  // a page fault: ClassifyPageFault
      trap->vector = vec::kGeneralProtection;
      return true;
    default:
      return false;
  }
}

Emulated DecodeEmulated(const uint8_t* bytes, size_t n, size_t* length) {
  if (n >= 2 && bytes[0] == 0x0f && bytes[1] == 0x31) {
    *length = 2;
    return Emulated::kRdtsc;
  }
  if (n >= 2 && bytes[0] == 0x0f && bytes[1] == 0xa2) {
    *length = 2;
    return Emulated::kCpuid;
  }
  if (n >= 3 && bytes[0] == 0x0f && bytes[1] == 0x01 && bytes[2] == 0xf9) {
    *length = 3;
    return Emulated::kRdtscp;
  }
  *length = 0;
  return Emulated::kNone;
}

}  // namespace hal::hostsim::native
