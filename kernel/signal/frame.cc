#include "kernel/signal/frame.h"

namespace kernel::signal {
namespace {

// The user half ends below the non-canonical hole; a rip at or above it cannot be resumed.
constexpr u64 kUserTop = 0x0000'8000'0000'0000ull;

// Offsets inside the FXSAVE/XSAVE image [intel-sdm 1 §10.5.1, §13.4].
constexpr usize kMxcsrOffset = 24;
constexpr usize kMxcsrMaskOffset = 28;
constexpr usize kXstateBvOffset = 512;
constexpr usize kXcompBvOffset = 520;

u32 Load32(const u8* p) {
  u32 v;
  __builtin_memcpy(&v, p, 4);
  return v;
}
u64 Load64(const u8* p) {
  u64 v;
  __builtin_memcpy(&v, p, 8);
  return v;
}
void Store32(u8* p, u32 v) { __builtin_memcpy(p, &v, 4); }
void Store64(u8* p, u64 v) { __builtin_memcpy(p, &v, 8); }

}  // namespace

usize FpuImageSize(const hal::FpuFrameInfo& fpu) {
  return fpu.xsave ? fpu.size + sizeof(kFpXstateMagic2) : kFxsaveSize;
}

Result<FramePlacement> PlaceFrame(u64 user_rsp, const AltStack& alt, bool sa_onstack,
                                  const hal::FpuFrameInfo& fpu) {
  const bool nested = alt.enabled() && alt.Contains(user_rsp);
  u64 sp = user_rsp - kRedZone;
  bool entering = false;
  if (sa_onstack && alt.enabled() && !nested && !alt.Contains(sp)) {
    sp = alt.sp + alt.size;
    entering = true;
  }
  const usize fp_size = FpuImageSize(fpu);
  if (sp < fp_size + sizeof(RtSigframe) + 64) return Errno::kEFAULT;
  sp = AlignDown(sp - fp_size, 64);
  const u64 fpstate = sp;
  sp -= sizeof(RtSigframe);
  sp = AlignDown(sp, 16) - 8;
  // A frame that runs off the alternate stack would overwrite whatever lies below it: Linux
  // refuses and the task gets SIGSEGV [linux get_sigframe, "overflowed sigaltstack"].
  if (nested || entering) {
    AltStack armed = alt;
    armed.flags &= ~kSsAutoDisarm;
    if (!armed.Contains(sp)) return Errno::kEFAULT;
  }
  return FramePlacement{sp, fpstate, fp_size, nested || entering};
}

void BuildFrame(RtSigframe& out, const hal::UserRegs& r, const SigInfo& info, const FrameExtras& x,
                const FramePlacement& p, const hal::FpuFrameInfo& fpu) {
  out = RtSigframe{};
  out.pretcode = x.restorer;
  UContext& uc = out.uc;
  uc.flags = kUcSigcontextSs | kUcStrictRestoreSs | (fpu.xsave ? kUcFpXstate : 0);
  uc.link = 0;
  uc.stack.sp = x.altstack.sp;
  uc.stack.flags = static_cast<i32>(x.altstack.flags);
  uc.stack.size = x.altstack.size;
  SigContext& sc = uc.mcontext;
  sc.r8 = r.r8;
  sc.r9 = r.r9;
  sc.r10 = r.r10;
  sc.r11 = r.r11;
  sc.r12 = r.r12;
  sc.r13 = r.r13;
  sc.r14 = r.r14;
  sc.r15 = r.r15;
  sc.rdi = r.rdi;
  sc.rsi = r.rsi;
  sc.rbp = r.rbp;
  sc.rbx = r.rbx;
  sc.rdx = r.rdx;
  sc.rax = r.rax;
  sc.rcx = r.rcx;
  sc.rsp = r.rsp;
  sc.rip = r.rip;
  sc.eflags = r.eflags;
  sc.cs = kUserCs;
  sc.gs = 0;
  sc.fs = 0;
  sc.ss = kUserDs;
  sc.err = x.err;
  sc.trapno = x.trapno;
  sc.oldmask = x.blocked_mask;
  sc.cr2 = x.cr2;
  sc.fpstate = p.fpstate;
  uc.sigmask = x.blocked_mask;
  out.info = info;
}

void BuildFpuImage(u8* out, const u8* state, const hal::FpuFrameInfo& fpu) {
  if (!fpu.xsave) {
    __builtin_memcpy(out, state, kFxsaveSize);
    // A legacy frame: the software-reserved bytes say "no extended state" [sigcontext.h].
    __builtin_memset(out + kSwBytesOffset, 0, sizeof(FpxSwBytes));
    return;
  }
  __builtin_memcpy(out, state, fpu.size);
  FpxSwBytes sw{};
  sw.magic1 = kFpXstateMagic1;
  sw.extended_size = fpu.size + static_cast<u32>(sizeof(kFpXstateMagic2));
  sw.xfeatures = fpu.xfeatures;
  sw.xstate_size = fpu.size;
  __builtin_memcpy(out + kSwBytesOffset, &sw, sizeof(sw));
  Store32(out + fpu.size, kFpXstateMagic2);
  // Legacy readers of the image expect the x87 and SSE parts to be valid: Linux sets both
  // bits in XSTATE_BV of a signal frame [linux save_xstate_epilog].
  Store64(out + kXstateBvOffset, Load64(out + kXstateBvOffset) | kXfeatureFpSse);
}

void EnterHandler(hal::UserRegs& r, int signo, u64 handler, const FramePlacement& p) {
  r.rdi = static_cast<u64>(signo);
  r.rsi = p.frame + __builtin_offsetof(RtSigframe, info);
  r.rdx = p.frame + __builtin_offsetof(RtSigframe, uc);
  r.rax = 0;
  r.rip = handler;
  r.rsp = p.frame;
  r.eflags &= ~(kFlagDf | kFlagRf | kFlagTf);
  r.cs = kUserCs;
  r.ss = kUserDs;
}

bool RestoreRegisters(hal::UserRegs& r, const SigContext& sc) {
  r.r8 = sc.r8;
  r.r9 = sc.r9;
  r.r10 = sc.r10;
  r.r11 = sc.r11;
  r.r12 = sc.r12;
  r.r13 = sc.r13;
  r.r14 = sc.r14;
  r.r15 = sc.r15;
  r.rdi = sc.rdi;
  r.rsi = sc.rsi;
  r.rbp = sc.rbp;
  r.rbx = sc.rbx;
  r.rdx = sc.rdx;
  r.rax = sc.rax;
  r.rcx = sc.rcx;
  r.rsp = sc.rsp;
  r.rip = sc.rip;
  // Only the arithmetic flags, TF, DF, AC and RF come from the frame; IF, IOPL, NT and the
  // rest keep the kernel's values, so a forged frame gains no privilege.
  r.eflags = (r.eflags & ~kUserChangeableFlags) | (sc.eflags & kUserChangeableFlags);
  r.cs = kUserCs;
  r.ss = kUserDs;
  r.orig_rax = ~u64{0};
  return sc.rip < kUserTop;
}

void SanitizeFpuImage(u8* image, const hal::FpuFrameInfo& fpu, u32 mxcsr_mask, bool extended) {
  // FXRSTOR faults on MXCSR bits outside MXCSR_MASK [intel-sdm 1 §10.5.1.1].
  u32 mask = mxcsr_mask != 0 ? mxcsr_mask : 0xffbf;
  Store32(image + kMxcsrOffset, Load32(image + kMxcsrOffset) & mask);
  Store32(image + kMxcsrMaskOffset, 0);
  if (!fpu.xsave) return;
  FpxSwBytes sw;
  __builtin_memcpy(&sw, image + kSwBytesOffset, sizeof(sw));
  bool valid = extended && sw.magic1 == kFpXstateMagic1 && sw.xstate_size == fpu.size &&
               sw.extended_size == fpu.size + sizeof(kFpXstateMagic2) &&
               Load32(image + fpu.size) == kFpXstateMagic2;
  u64 bv = valid ? Load64(image + kXstateBvOffset) & fpu.xfeatures & sw.xfeatures : kXfeatureFpSse;
  // The header must be in standard form with reserved bytes zero, or XRSTOR faults
  // [intel-sdm 1 §13.8.1]. Components absent from XSTATE_BV are loaded in their init state.
  __builtin_memset(image + kXstateBvOffset, 0, kXsaveHeaderSize);
  Store64(image + kXstateBvOffset, bv);
  Store64(image + kXcompBvOffset, 0);
  __builtin_memset(image + kSwBytesOffset, 0, sizeof(FpxSwBytes));
}

}  // namespace kernel::signal
