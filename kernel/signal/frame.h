#pragma once
/// The x86_64 signal frame as pure functions: where a frame goes, what it contains, and how
/// the registers come back at rt_sigreturn, sanitized. The kernel side that copies frames to
/// and from user memory is in signal/deliver.cc; everything here is testable on the host.
///
/// Layout on the user stack, from high to low addresses [linux arch/x86/kernel/signal.c
/// get_sigframe, fpu__alloc_mathframe]:
///   the interrupted rsp, minus the 128-byte red zone (or the top of the alternate stack)
///   FPU image (FXSAVE or XSAVE + FP_XSTATE_MAGIC2), 64-byte aligned   <- sigcontext.fpstate
///   struct rt_sigframe { pretcode; ucontext; siginfo }               <- handler rsp
/// with the handler's rsp = 16n - 8, as if the handler had been called.
#include <hal/cpu.h>

#include "kernel/lib/result.h"
#include "kernel/signal/abi.h"

namespace kernel::signal {

inline constexpr u64 kRedZone = 128;

/// The alternate signal stack of a task, as sigaltstack(2) set it.
struct AltStack {
  u64 sp = 0;
  u64 size = 0;
  u32 flags = kSsDisable;  ///< what the user passed (SS_DISABLE, 0, plus SS_AUTODISARM)

  bool enabled() const { return size != 0; }
  /// Whether `rsp` lies on the stack [linux on_sig_stack]. An SS_AUTODISARM stack counts as
  /// not in use: it is disarmed while a handler runs on it.
  bool Contains(u64 rsp) const {
    if ((flags & kSsAutoDisarm) != 0) return false;
    return rsp > sp && rsp - sp <= size;
  }
  /// ss_flags as sigaltstack reports them for a task at `rsp` [linux sas_ss_flags].
  i32 ReportedFlags(u64 rsp) const {
    i32 mode = !enabled() ? kSsDisable : (Contains(rsp) ? kSsOnStack : 0);
    return mode | static_cast<i32>(flags & kSsAutoDisarm);
  }
};

/// Where a frame goes. `frame` is the handler's rsp; `fpstate` the FPU image address.
struct FramePlacement {
  u64 frame;
  u64 fpstate;
  usize fpstate_size;  ///< bytes of FPU image written at `fpstate`
  bool on_altstack;    ///< the frame is on the alternate stack (entering it or nested on it)
};

/// Bytes of FPU image in a frame: XSAVE size + 4 for FP_XSTATE_MAGIC2, or 512 for FXSAVE.
usize FpuImageSize(const hal::FpuFrameInfo& fpu);

/// Places a frame for a handler. EFAULT when the frame would overflow the alternate stack it
/// is on (the task then gets SIGSEGV, as on Linux).
Result<FramePlacement> PlaceFrame(u64 user_rsp, const AltStack& alt, bool sa_onstack,
                                  const hal::FpuFrameInfo& fpu);

/// What goes into the ucontext besides the registers.
struct FrameExtras {
  u64 blocked_mask;      ///< the mask to restore at sigreturn (uc_sigmask and oldmask)
  AltStack altstack;     ///< the alternate stack before delivery (uc_stack)
  u64 trapno, err, cr2;  ///< the last fault of the task (sigcontext)
  u64 restorer;          ///< pretcode: sa_restorer
};

/// Fills an rt_sigframe for registers `regs` placed at `p`.
void BuildFrame(RtSigframe& out, const hal::UserRegs& regs, const SigInfo& info,
                const FrameExtras& extras, const FramePlacement& p, const hal::FpuFrameInfo& fpu);

/// Prepares the FPU image to copy at p.fpstate: the task's state (`state`, XSAVE/FXSAVE
/// image of fpu.size bytes) with the software-reserved bytes and the trailing magic, as
/// Linux writes them. `out` must hold FpuImageSize(fpu) bytes.
void BuildFpuImage(u8* out, const u8* state, const hal::FpuFrameInfo& fpu);

/// The registers at handler entry [linux setup_rt_frame]: rdi = signo, rsi = &info,
/// rdx = &uc, rax = 0, rip = handler, rsp = frame, DF/TF/RF cleared, user selectors.
void EnterHandler(hal::UserRegs& regs, int signo, u64 handler, const FramePlacement& p);

/// Restores registers from a frame's sigcontext at rt_sigreturn, keeping only what a user may
/// set: cs/ss are forced to the user selectors, RFLAGS takes only the user-changeable bits,
/// orig_rax becomes -1 (no restart). EFAULT-free: the copy has already succeeded. Returns
/// false when the frame cannot be resumed (a non-canonical rip): the caller sends SIGSEGV.
bool RestoreRegisters(hal::UserRegs& regs, const SigContext& sc);

/// Makes an FPU image read back from a frame safe to load with XRSTOR/FXRSTOR: MXCSR within
/// `mxcsr_mask`, an XSAVE header with only supported features in XSTATE_BV, XCOMP_BV zero and
/// the reserved bytes clear. A frame without FP_XSTATE_MAGIC1 (or with a bad size or
/// MAGIC2) is treated as legacy FXSAVE: the extended state goes back to its initial value.
/// `image` holds fpu.size bytes (read from the user), `extended` tells whether the bytes past
/// 512 were actually read.
void SanitizeFpuImage(u8* image, const hal::FpuFrameInfo& fpu, u32 mxcsr_mask, bool extended);

}  // namespace kernel::signal
