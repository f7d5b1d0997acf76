// The pure parts of native mode: the fault classification and the mirror's bookkeeping.
#include <gtest/gtest.h>
#include <sys/mman.h>

#include "hal/hostsim/native/fault_decode.h"
#include "hal/hostsim/native/mirror.h"

namespace hal::hostsim::native {
namespace {

FaultFacts Facts(uint64_t addr, uint64_t rip) {
  FaultFacts f;
  f.addr = addr;
  f.rip = rip;
  f.rip_executable = true;
  return f;
}

TEST(ClassifyPageFault, PresentAndAllowedIsAFill) {
  FaultFacts f = Facts(0x5000, 0x1000);
  f.pte_present = f.pte_read = true;
  EXPECT_EQ(ClassifyPageFault(f).kind, FaultDecision::Kind::kFill);
}

TEST(ClassifyPageFault, NotPresentIsARead) {
  FaultDecision d = ClassifyPageFault(Facts(0x5008, 0x1000));
  EXPECT_EQ(d.kind, FaultDecision::Kind::kKernelFault);
  EXPECT_EQ(d.error_code, pf::kUser);
}

TEST(ClassifyPageFault, FetchAtRipOrFromUnmirroredCode) {
  FaultDecision d = ClassifyPageFault(Facts(0x5000, 0x5000));
  EXPECT_EQ(d.error_code, pf::kUser | pf::kInstruction);
  FaultFacts f = Facts(0x5010, 0x5008);
  f.rip_executable = false;
  EXPECT_EQ(ClassifyPageFault(f).error_code, pf::kUser | pf::kInstruction);
}

TEST(ClassifyPageFault, MirroredReadOnlyMeansWrite) {
  FaultFacts f = Facts(0x5008, 0x1000);
  f.mirrored = true;
  f.mirror_prot = PROT_READ;
  f.pte_present = f.pte_read = true;
  FaultDecision d = ClassifyPageFault(f);
  EXPECT_EQ(d.kind, FaultDecision::Kind::kKernelFault);
  EXPECT_EQ(d.error_code, pf::kUser | pf::kPresent | pf::kWrite);
  // After the kernel made it writable, the same fault is a fill (upgrade).
  f.pte_write = true;
  EXPECT_EQ(ClassifyPageFault(f).kind, FaultDecision::Kind::kFill);
}

TEST(ClassifyPageFault, MirroredWritableNoExecMeansFetch) {
  FaultFacts f = Facts(0x5000, 0x5000);
  f.mirrored = true;
  f.mirror_prot = PROT_READ | PROT_WRITE;
  f.pte_present = f.pte_read = f.pte_write = true;
  EXPECT_EQ(ClassifyPageFault(f).error_code, pf::kUser | pf::kPresent | pf::kInstruction);
}

TEST(ClassifyPageFault, StraddlingInstructionIntoNoExecPage) {
  // rip 3 bytes before a page boundary, fault at the boundary on a read-only NX mirror.
  FaultFacts f = Facts(0x6000, 0x5ffd);
  f.mirrored = true;
  f.mirror_prot = PROT_READ;
  f.pte_present = f.pte_read = true;
  EXPECT_EQ(ClassifyPageFault(f).error_code, pf::kUser | pf::kPresent | pf::kInstruction);
}

TEST(ClassifyPageFault, KernelHalf) {
  FaultFacts f = Facts(0xffff'8000'0000'0000ull, 0x1000);
  f.user_half = false;
  EXPECT_EQ(ClassifyPageFault(f).error_code, pf::kUser | pf::kPresent);
}

TEST(FaultTrap, SignalsToVectors) {
  siginfo_t info{};
  Trap t;
  info.si_signo = SIGILL;
  info.si_code = ILL_ILLOPN;
  ASSERT_TRUE(FaultTrap(info, false, &t));
  EXPECT_EQ(t.vector, vec::kInvalidOpcode);
  info.si_signo = SIGFPE;
  info.si_code = FPE_INTDIV;
  ASSERT_TRUE(FaultTrap(info, false, &t));
  EXPECT_EQ(t.vector, vec::kDivide);
  info.si_code = FPE_FLTDIV;
  ASSERT_TRUE(FaultTrap(info, true, &t));
  EXPECT_EQ(t.vector, vec::kX87);
  ASSERT_TRUE(FaultTrap(info, false, &t));
  EXPECT_EQ(t.vector, vec::kSimd);
  info.si_signo = SIGBUS;
  info.si_code = BUS_ADRALN;
  ASSERT_TRUE(FaultTrap(info, false, &t));
  EXPECT_EQ(t.vector, vec::kAlignmentCheck);
  info.si_signo = SIGTRAP;
  info.si_code = SI_KERNEL;
  ASSERT_TRUE(FaultTrap(info, false, &t));
  EXPECT_EQ(t.vector, vec::kBreakpoint);
  info.si_code = TRAP_TRACE;
  ASSERT_TRUE(FaultTrap(info, false, &t));
  EXPECT_EQ(t.vector, vec::kDebug);
  info.si_signo = SIGSEGV;
  info.si_code = SI_KERNEL;
  ASSERT_TRUE(FaultTrap(info, false, &t));
  EXPECT_EQ(t.vector, vec::kGeneralProtection);
  // Sent by someone: not an exception.
  info.si_signo = SIGILL;
  info.si_code = SI_USER;
  EXPECT_FALSE(FaultTrap(info, false, &t));
}

TEST(DecodeEmulated, TimeAndCpuid) {
  size_t len = 0;
  const uint8_t rdtsc[] = {0x0f, 0x31}, rdtscp[] = {0x0f, 0x01, 0xf9}, cpuid[] = {0x0f, 0xa2};
  const uint8_t hlt[] = {0xf4, 0x90};
  EXPECT_EQ(DecodeEmulated(rdtsc, 2, &len), Emulated::kRdtsc);
  EXPECT_EQ(len, 2u);
  EXPECT_EQ(DecodeEmulated(rdtscp, 3, &len), Emulated::kRdtscp);
  EXPECT_EQ(len, 3u);
  EXPECT_EQ(DecodeEmulated(cpuid, 2, &len), Emulated::kCpuid);
  EXPECT_EQ(DecodeEmulated(hlt, 2, &len), Emulated::kNone);
  EXPECT_EQ(DecodeEmulated(rdtscp, 2, &len), Emulated::kNone);  // truncated
}

TEST(Mirror, ShootdownsCoalesceInAddressOrder) {
  Mirror m;
  for (uint64_t i = 0; i < 6; ++i) m.Filled(0x10000 + i * 0x1000, 0x200000 + i * 0x1000, PROT_READ);
  m.Invalidate(0x12000);
  m.Invalidate(0x11000);
  m.Reprotect(0x14000, PROT_READ | PROT_WRITE);
  m.Reprotect(0x15000, PROT_READ | PROT_WRITE);
  m.Invalidate(0x99000);            // not mirrored: nothing to do
  m.Reprotect(0x10000, PROT_READ);  // unchanged: nothing to do
  ASSERT_TRUE(m.has_pending());
  auto ops = m.TakePending();
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0], (MirrorOp{MirrorOp::Kind::kUnmap, 0x11000, 0x2000, 0, 0}));
  EXPECT_EQ(ops[1],
            (MirrorOp{MirrorOp::Kind::kProtect, 0x14000, 0x2000, PROT_READ | PROT_WRITE, 0}));
  EXPECT_FALSE(m.has_pending());
  EXPECT_EQ(m.size(), 4u);
  EXPECT_EQ(m.Find(0x11000), nullptr);
  EXPECT_EQ(m.Find(0x14000)->prot, PROT_READ | PROT_WRITE);
}

TEST(Mirror, ProtectThenUnmapIsJustUnmap) {
  Mirror m;
  m.Filled(0x10000, 0x5000, PROT_READ);
  m.Reprotect(0x10000, PROT_READ | PROT_WRITE);
  m.Invalidate(0x10000);
  auto ops = m.TakePending();
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].kind, MirrorOp::Kind::kUnmap);
}

TEST(Mirror, PlanMapsJoinsContiguousFrames) {
  using K = MirrorOp::Kind;
  auto ops = Mirror::PlanMaps({{K::kMap, 0x3000, 0x1000, PROT_READ, 0x9000},
                               {K::kMap, 0x1000, 0x1000, PROT_READ, 0x7000},
                               {K::kMap, 0x2000, 0x1000, PROT_READ, 0x8000},
                               {K::kMap, 0x4000, 0x1000, PROT_READ, 0x5000}});
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0], (MirrorOp{K::kMap, 0x1000, 0x3000, PROT_READ, 0x7000}));
  EXPECT_EQ(ops[1].va, 0x4000u);
}

}  // namespace
}  // namespace hal::hostsim::native
