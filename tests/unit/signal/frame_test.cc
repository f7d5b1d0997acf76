#include "kernel/signal/frame.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "kernel/lib/errno.h"
#include "kernel/signal/restart.h"

namespace kernel::signal {
namespace {

constexpr hal::FpuFrameInfo kFxsave{false, 0x3, 512};
constexpr hal::FpuFrameInfo kXsaveAvx{true, 0x7, 832};

TEST(SignalFrameTest, PlacementSkipsRedZoneAndAlignsLikeACall) {
  for (u64 rsp : {0x7fff'ffff'e000ull, 0x7fff'ffff'e008ull, 0x7fff'ffff'dff3ull}) {
    for (const auto& fpu : {kFxsave, kXsaveAvx}) {
      FramePlacement p = PlaceFrame(rsp, AltStack{}, false, fpu).value();
      EXPECT_EQ(p.frame % 16, 8u) << "rsp at handler entry is 16n-8, as after a call";
      EXPECT_EQ(p.fpstate % 64, 0u);
      EXPECT_LE(p.fpstate + p.fpstate_size, rsp - kRedZone) << "red zone overwritten";
      EXPECT_LE(p.frame + sizeof(RtSigframe), p.fpstate);
      EXPECT_FALSE(p.on_altstack);
      EXPECT_EQ(p.fpstate_size, fpu.xsave ? 836u : 512u);
    }
  }
}

TEST(SignalFrameTest, AlternateStackIsEnteredOnlyWithSaOnStack) {
  AltStack alt{0x10000, 0x4000, 0};
  const u64 rsp = 0x7fff'0000'0000ull;
  FramePlacement p = PlaceFrame(rsp, alt, true, kXsaveAvx).value();
  EXPECT_TRUE(p.on_altstack);
  EXPECT_GT(p.frame, alt.sp);
  EXPECT_LE(p.fpstate + p.fpstate_size, alt.sp + alt.size);
  FramePlacement q = PlaceFrame(rsp, alt, false, kXsaveAvx).value();
  EXPECT_FALSE(q.on_altstack);
  EXPECT_LT(q.frame, rsp);
  EXPECT_GT(q.frame, alt.sp + alt.size);
}

TEST(SignalFrameTest, NestedSignalOnAltStackGoesBelowTheCurrentFrame) {
  AltStack alt{0x10000, 0x4000, 0};
  const u64 rsp = 0x13000;  // already running on the alternate stack
  FramePlacement p = PlaceFrame(rsp, alt, true, kFxsave).value();
  EXPECT_TRUE(p.on_altstack);
  EXPECT_LT(p.fpstate + p.fpstate_size, rsp - kRedZone + 1);
}

TEST(SignalFrameTest, OverflowingTheAlternateStackFails) {
  // MINSIGSTKSZ is too small for an AVX-512 XSAVE frame (Linux's AT_MINSIGSTKSZ problem).
  constexpr hal::FpuFrameInfo kXsaveAvx512{true, 0xe7, 2696};
  AltStack tiny{0x10000, 2048, 0};
  EXPECT_EQ(PlaceFrame(0x7fff'0000'0000ull, tiny, true, kXsaveAvx512).error(), Errno::kEFAULT);
  EXPECT_TRUE(PlaceFrame(0x7fff'0000'0000ull, tiny, true, kXsaveAvx).ok());
  AltStack alt{0x10000, 0x4000, 0};
  EXPECT_EQ(PlaceFrame(0x10300, alt, true, kFxsave).error(), Errno::kEFAULT)
      << "nested frame running off the bottom of the stack";
}

TEST(SignalFrameTest, AutoDisarmedStackReportsItsFlags) {
  AltStack alt{0x10000, 0x4000, kSsAutoDisarm};
  EXPECT_FALSE(alt.Contains(0x12000));
  EXPECT_EQ(alt.ReportedFlags(0x12000), static_cast<i32>(kSsAutoDisarm));
  EXPECT_EQ(AltStack{}.ReportedFlags(0x12000), kSsDisable);
  AltStack plain{0x10000, 0x4000, 0};
  EXPECT_EQ(plain.ReportedFlags(0x12000), kSsOnStack);
  EXPECT_EQ(plain.ReportedFlags(0x20000), 0);
}

hal::UserRegs SampleRegs() {
  hal::UserRegs r{};
  u64 v = 0x1000;
  for (u64* p : {&r.r15, &r.r14, &r.r13, &r.r12, &r.rbp, &r.rbx, &r.r11, &r.r10, &r.r9, &r.r8,
                 &r.rax, &r.rcx, &r.rdx, &r.rsi, &r.rdi}) {
    *p = v++;
  }
  r.rip = 0x401000;
  r.rsp = 0x7fff'ffff'e000ull;
  r.eflags = 0x246;
  r.cs = 0x33;
  r.ss = 0x2b;
  r.orig_rax = 0;
  return r;
}

TEST(SignalFrameTest, FrameHoldsRegistersMaskAndInfo) {
  hal::UserRegs regs = SampleRegs();
  SigInfo info;
  info.signo = kSigUsr1;
  info.code = kSiUser;
  info.f.kill.pid = 42;
  FrameExtras x{};
  x.blocked_mask = 0x5;
  x.altstack = AltStack{};
  x.trapno = 14;
  x.err = 6;
  x.cr2 = 0xdead000;
  x.restorer = 0x400800;
  FramePlacement p = PlaceFrame(regs.rsp, AltStack{}, false, kXsaveAvx).value();
  RtSigframe f;
  BuildFrame(f, regs, info, x, p, kXsaveAvx);
  EXPECT_EQ(f.pretcode, 0x400800u);
  EXPECT_EQ(f.uc.flags, kUcFpXstate | kUcSigcontextSs | kUcStrictRestoreSs);
  EXPECT_EQ(f.uc.mcontext.rip, regs.rip);
  EXPECT_EQ(f.uc.mcontext.rsp, regs.rsp);
  EXPECT_EQ(f.uc.mcontext.rax, regs.rax);
  EXPECT_EQ(f.uc.mcontext.r15, regs.r15);
  EXPECT_EQ(f.uc.mcontext.cs, kUserCs);
  EXPECT_EQ(f.uc.mcontext.ss, kUserDs);
  EXPECT_EQ(f.uc.mcontext.trapno, 14u);
  EXPECT_EQ(f.uc.mcontext.cr2, 0xdead000u);
  EXPECT_EQ(f.uc.mcontext.oldmask, 0x5u);
  EXPECT_EQ(f.uc.mcontext.fpstate, p.fpstate);
  EXPECT_EQ(f.uc.sigmask, 0x5u);
  EXPECT_EQ(f.uc.stack.flags, kSsDisable);
  EXPECT_EQ(f.info.f.kill.pid, 42);

  hal::UserRegs h = regs;
  h.eflags |= kFlagDf | kFlagTf;
  EnterHandler(h, kSigUsr1, 0x402000, p);
  EXPECT_EQ(h.rdi, static_cast<u64>(kSigUsr1));
  EXPECT_EQ(h.rsi, p.frame + 8 + 304);
  EXPECT_EQ(h.rdx, p.frame + 8);
  EXPECT_EQ(h.rip, 0x402000u);
  EXPECT_EQ(h.rsp, p.frame);
  EXPECT_EQ(h.eflags & (kFlagDf | kFlagTf), 0u);
}

TEST(SignalFrameTest, SigreturnRestoresRegistersAndNoPrivilege) {
  hal::UserRegs regs = SampleRegs();
  SigContext sc{};
  sc.rip = 0x401234;
  sc.rsp = 0x7fff'ffff'd000ull;
  sc.rax = 77;
  sc.r12 = 12;
  sc.cs = 0x10;  // kernel code segment: must not stick
  sc.ss = 0x18;
  sc.eflags = 0x3000 | 0x4000 | 0x200 | 0x20000 | 0x1 | 0x400;  // IOPL, NT, IF, VM, CF, DF
  regs.eflags = 0x202;
  EXPECT_TRUE(RestoreRegisters(regs, sc));
  EXPECT_EQ(regs.rip, 0x401234u);
  EXPECT_EQ(regs.rsp, 0x7fff'ffff'd000ull);
  EXPECT_EQ(regs.rax, 77u);
  EXPECT_EQ(regs.r12, 12u);
  EXPECT_EQ(regs.cs, kUserCs);
  EXPECT_EQ(regs.ss, kUserDs);
  EXPECT_EQ(regs.eflags, 0x202u | 0x1 | 0x400) << "only CF and DF may come from the frame";
  EXPECT_EQ(regs.orig_rax, ~u64{0}) << "a restored context is never restarted";
  sc.rip = 0xffff'8000'0000'0000ull;
  EXPECT_FALSE(RestoreRegisters(regs, sc)) << "kernel/non-canonical rip";
  sc.rip = 0x0000'8000'0000'0000ull;
  EXPECT_FALSE(RestoreRegisters(regs, sc));
}

TEST(SignalFrameTest, FpuImageCarriesXstateMagic) {
  std::vector<u8> state(kXsaveAvx.size, 0);
  state[0] = 0x7f;
  state[1] = 0x03;
  std::vector<u8> image(FpuImageSize(kXsaveAvx) + 8, 0xcc);
  BuildFpuImage(image.data(), state.data(), kXsaveAvx);
  FpxSwBytes sw;
  std::memcpy(&sw, image.data() + kSwBytesOffset, sizeof(sw));
  EXPECT_EQ(sw.magic1, kFpXstateMagic1);
  EXPECT_EQ(sw.xstate_size, 832u);
  EXPECT_EQ(sw.extended_size, 836u);
  EXPECT_EQ(sw.xfeatures, 0x7u);
  u32 magic2;
  std::memcpy(&magic2, image.data() + 832, 4);
  EXPECT_EQ(magic2, kFpXstateMagic2);
  u64 bv;
  std::memcpy(&bv, image.data() + 512, 8);
  EXPECT_EQ(bv & 3, 3u);

  std::vector<u8> legacy(512, 0xcc);
  BuildFpuImage(legacy.data(), state.data(), kFxsave);
  std::memcpy(&sw, legacy.data() + kSwBytesOffset, sizeof(sw));
  EXPECT_EQ(sw.magic1, 0u);
}

TEST(SignalFrameTest, CorruptFpuImageIsMadeLoadable) {
  std::vector<u8> state(kXsaveAvx.size, 0);
  std::vector<u8> image(FpuImageSize(kXsaveAvx), 0);
  BuildFpuImage(image.data(), state.data(), kXsaveAvx);
  // A hostile handler: reserved MXCSR bits, unsupported XSTATE_BV bits, compacted format,
  // garbage in the reserved header.
  u32 mxcsr = 0xffffffff;
  std::memcpy(image.data() + 24, &mxcsr, 4);
  u64 bv = ~u64{0}, comp = 1ull << 63;
  std::memcpy(image.data() + 512, &bv, 8);
  std::memcpy(image.data() + 520, &comp, 8);
  image[560] = 0x55;
  SanitizeFpuImage(image.data(), kXsaveAvx, 0xffff, true);
  std::memcpy(&mxcsr, image.data() + 24, 4);
  std::memcpy(&bv, image.data() + 512, 8);
  std::memcpy(&comp, image.data() + 520, 8);
  EXPECT_EQ(mxcsr, 0xffffu);
  EXPECT_EQ(bv, 0x7u);
  EXPECT_EQ(comp, 0u);
  EXPECT_EQ(image[560], 0);

  // No magic: a legacy image, only x87/SSE are taken from it.
  std::vector<u8> legacy(832, 0);
  bv = 0x7;
  std::memcpy(legacy.data() + 512, &bv, 8);
  SanitizeFpuImage(legacy.data(), kXsaveAvx, 0, true);
  std::memcpy(&bv, legacy.data() + 512, 8);
  EXPECT_EQ(bv, 0x3u);
  std::memcpy(&mxcsr, legacy.data() + 24, 4);
  EXPECT_EQ(mxcsr & ~0xffbfu, 0u);
}

constexpr u64 Neg(Errno e) { return static_cast<u64>(-static_cast<i64>(ToInt(e))); }

TEST(SignalRestartTest, DecisionsFollowLinux) {
  using A = RestartAction;
  EXPECT_EQ(DecideRestart(5, true, true), A::kNone);
  EXPECT_EQ(DecideRestart(Neg(Errno::kEINTR), false, false), A::kNone);
  EXPECT_EQ(DecideRestart(Neg(Errno::kERESTARTSYS), true, false), A::kEintr);
  EXPECT_EQ(DecideRestart(Neg(Errno::kERESTARTSYS), true, true), A::kRestart);
  EXPECT_EQ(DecideRestart(Neg(Errno::kERESTARTSYS), false, false), A::kRestart);
  EXPECT_EQ(DecideRestart(Neg(Errno::kERESTARTNOINTR), true, false), A::kRestart);
  EXPECT_EQ(DecideRestart(Neg(Errno::kERESTARTNOHAND), true, true), A::kEintr);
  EXPECT_EQ(DecideRestart(Neg(Errno::kERESTARTNOHAND), false, false), A::kRestart);
  EXPECT_EQ(DecideRestart(Neg(Errno::kERESTART_RESTARTBLOCK), true, true), A::kEintr);
  EXPECT_EQ(DecideRestart(Neg(Errno::kERESTART_RESTARTBLOCK), false, false), A::kRestartBlock);
}

TEST(SignalRestartTest, RestartRewindsTheSyscallInstruction) {
  hal::UserRegs r{};
  r.rip = 0x401002;
  r.orig_rax = 0;  // read
  r.rax = Neg(Errno::kERESTARTSYS);
  ApplyRestart(r, RestartAction::kRestart);
  EXPECT_EQ(r.rip, 0x401000u);
  EXPECT_EQ(r.rax, 0u);
  r.rip = 0x401002;
  r.rax = Neg(Errno::kERESTART_RESTARTBLOCK);
  ApplyRestart(r, RestartAction::kRestartBlock);
  EXPECT_EQ(r.rax, kNrRestartSyscall);
  EXPECT_EQ(r.rip, 0x401000u);
  r.rax = Neg(Errno::kERESTARTSYS);
  ApplyRestart(r, RestartAction::kEintr);
  EXPECT_EQ(static_cast<i64>(r.rax), -4);
}

}  // namespace
}  // namespace kernel::signal
