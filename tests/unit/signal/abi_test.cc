// The signal ABI structures against the host's own Linux/glibc headers: if an offset here
// differs from Linux's, musl's and glibc's handlers read garbage.
#include "kernel/signal/abi.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/ucontext.h>

#include <cstddef>

namespace kernel::signal {
namespace {

#define EXPECT_SAME_OFFSET(ours, field_ours, theirs, field_theirs) \
  EXPECT_EQ(offsetof(ours, field_ours), offsetof(theirs, field_theirs)) << #field_theirs

TEST(SignalAbiTest, NumbersAndFlagsAreLinuxs) {
  EXPECT_EQ(kSigHup, SIGHUP);
  EXPECT_EQ(kSigChld, SIGCHLD);
  EXPECT_EQ(kSigCont, SIGCONT);
  EXPECT_EQ(kSigStop, SIGSTOP);
  EXPECT_EQ(kSigTstp, SIGTSTP);
  EXPECT_EQ(kSigTtou, SIGTTOU);
  EXPECT_EQ(kSigSys, SIGSYS);
  EXPECT_EQ(kSigStkflt, SIGSTKFLT);
  EXPECT_EQ(kSaSigInfo, static_cast<u64>(SA_SIGINFO));
  EXPECT_EQ(kSaRestart, static_cast<u64>(SA_RESTART));
  EXPECT_EQ(kSaNoDefer, static_cast<u64>(SA_NODEFER));
  EXPECT_EQ(kSaResetHand, static_cast<u64>(SA_RESETHAND));
  EXPECT_EQ(kSaOnStack, static_cast<u64>(SA_ONSTACK));
  EXPECT_EQ(kSaNoCldStop, static_cast<u64>(SA_NOCLDSTOP));
  EXPECT_EQ(kSaNoCldWait, static_cast<u64>(SA_NOCLDWAIT));
  EXPECT_EQ(kSsOnStack, SS_ONSTACK);
  EXPECT_EQ(kSsDisable, SS_DISABLE);
  EXPECT_EQ(kSigBlock, SIG_BLOCK);
  EXPECT_EQ(kSigSetMask, SIG_SETMASK);
  EXPECT_EQ(kSiTkill, SI_TKILL);
  EXPECT_EQ(kSiQueue, SI_QUEUE);
  EXPECT_EQ(kSiKernel, SI_KERNEL);
  EXPECT_EQ(kSegvAccErr, SEGV_ACCERR);
  EXPECT_EQ(kBusAdrAln, BUS_ADRALN);
  EXPECT_EQ(kIllIllOpn, ILL_ILLOPN);
  EXPECT_EQ(kFpeIntDiv, FPE_INTDIV);
  EXPECT_EQ(kCldContinued, CLD_CONTINUED);
  EXPECT_EQ(kCldStopped, CLD_STOPPED);
  EXPECT_EQ(kCldDumped, CLD_DUMPED);
}

TEST(SignalAbiTest, SiginfoMatchesGlibc) {
  EXPECT_EQ(sizeof(SigInfo), sizeof(siginfo_t));
  EXPECT_SAME_OFFSET(SigInfo, signo, siginfo_t, si_signo);
  EXPECT_SAME_OFFSET(SigInfo, errno_value, siginfo_t, si_errno);
  EXPECT_SAME_OFFSET(SigInfo, code, siginfo_t, si_code);
  EXPECT_SAME_OFFSET(SigInfo, f.kill.pid, siginfo_t, si_pid);
  EXPECT_SAME_OFFSET(SigInfo, f.kill.uid, siginfo_t, si_uid);
  EXPECT_SAME_OFFSET(SigInfo, f.kill.value, siginfo_t, si_value);
  EXPECT_SAME_OFFSET(SigInfo, f.timer.tid, siginfo_t, si_timerid);
  EXPECT_SAME_OFFSET(SigInfo, f.timer.overrun, siginfo_t, si_overrun);
  EXPECT_SAME_OFFSET(SigInfo, f.chld.status, siginfo_t, si_status);
  EXPECT_SAME_OFFSET(SigInfo, f.chld.utime, siginfo_t, si_utime);
  EXPECT_SAME_OFFSET(SigInfo, f.chld.stime, siginfo_t, si_stime);
  EXPECT_SAME_OFFSET(SigInfo, f.fault.addr, siginfo_t, si_addr);
  EXPECT_SAME_OFFSET(SigInfo, f.fault.addr_lsb, siginfo_t, si_addr_lsb);
  EXPECT_SAME_OFFSET(SigInfo, f.poll.band, siginfo_t, si_band);
  EXPECT_SAME_OFFSET(SigInfo, f.poll.fd, siginfo_t, si_fd);
}

TEST(SignalAbiTest, StackAndSigcontextMatchGlibc) {
  EXPECT_EQ(sizeof(StackT), sizeof(stack_t));
  EXPECT_SAME_OFFSET(StackT, sp, stack_t, ss_sp);
  EXPECT_SAME_OFFSET(StackT, flags, stack_t, ss_flags);
  EXPECT_SAME_OFFSET(StackT, size, stack_t, ss_size);
  EXPECT_EQ(sizeof(SigContext), sizeof(struct sigcontext));
  EXPECT_SAME_OFFSET(SigContext, r8, struct sigcontext, r8);
  EXPECT_SAME_OFFSET(SigContext, r15, struct sigcontext, r15);
  EXPECT_SAME_OFFSET(SigContext, rdi, struct sigcontext, rdi);
  EXPECT_SAME_OFFSET(SigContext, rax, struct sigcontext, rax);
  EXPECT_SAME_OFFSET(SigContext, rsp, struct sigcontext, rsp);
  EXPECT_SAME_OFFSET(SigContext, rip, struct sigcontext, rip);
  EXPECT_SAME_OFFSET(SigContext, eflags, struct sigcontext, eflags);
  EXPECT_SAME_OFFSET(SigContext, cs, struct sigcontext, cs);
  EXPECT_SAME_OFFSET(SigContext, gs, struct sigcontext, gs);
  EXPECT_SAME_OFFSET(SigContext, fs, struct sigcontext, fs);
  EXPECT_SAME_OFFSET(SigContext, err, struct sigcontext, err);
  EXPECT_SAME_OFFSET(SigContext, trapno, struct sigcontext, trapno);
  EXPECT_SAME_OFFSET(SigContext, oldmask, struct sigcontext, oldmask);
  EXPECT_SAME_OFFSET(SigContext, cr2, struct sigcontext, cr2);
  EXPECT_SAME_OFFSET(SigContext, fpstate, struct sigcontext, fpstate);
}

TEST(SignalAbiTest, UcontextPrefixMatchesGlibcGregs) {
  // glibc's ucontext_t extends the kernel's (a 1024-bit sigset, a private FPU copy), but
  // everything up to and including the first 8 bytes of uc_sigmask lies where the kernel
  // writes it, and mcontext's gregs[] are sigcontext in REG_* order.
  EXPECT_SAME_OFFSET(UContext, flags, ucontext_t, uc_flags);
  EXPECT_SAME_OFFSET(UContext, link, ucontext_t, uc_link);
  EXPECT_SAME_OFFSET(UContext, stack, ucontext_t, uc_stack);
  EXPECT_SAME_OFFSET(UContext, mcontext, ucontext_t, uc_mcontext);
  EXPECT_SAME_OFFSET(UContext, sigmask, ucontext_t, uc_sigmask);
  EXPECT_EQ(offsetof(SigContext, r8), REG_R8 * 8u);
  EXPECT_EQ(offsetof(SigContext, rip), REG_RIP * 8u);
  EXPECT_EQ(offsetof(SigContext, rsp), REG_RSP * 8u);
  EXPECT_EQ(offsetof(SigContext, eflags), REG_EFL * 8u);
  EXPECT_EQ(offsetof(SigContext, err), REG_ERR * 8u);
  EXPECT_EQ(offsetof(SigContext, trapno), REG_TRAPNO * 8u);
  EXPECT_EQ(offsetof(SigContext, oldmask), REG_OLDMASK * 8u);
  EXPECT_EQ(offsetof(SigContext, cr2), REG_CR2 * 8u);
  EXPECT_EQ(offsetof(SigContext, fpstate), sizeof(gregset_t));
  // rt_sigframe: pretcode, then the kernel ucontext, then siginfo [linux asm/sigframe.h].
  EXPECT_EQ(offsetof(RtSigframe, uc), 8u);
  EXPECT_EQ(offsetof(RtSigframe, info), 8u + 304u);
}

TEST(SignalAbiTest, SignalfdSiginfoMatchesGlibc) {
  EXPECT_EQ(sizeof(SignalfdSiginfo), sizeof(struct signalfd_siginfo));
  EXPECT_SAME_OFFSET(SignalfdSiginfo, signo, struct signalfd_siginfo, ssi_signo);
  EXPECT_SAME_OFFSET(SignalfdSiginfo, pid, struct signalfd_siginfo, ssi_pid);
  EXPECT_SAME_OFFSET(SignalfdSiginfo, status, struct signalfd_siginfo, ssi_status);
  EXPECT_SAME_OFFSET(SignalfdSiginfo, ptr, struct signalfd_siginfo, ssi_ptr);
  EXPECT_SAME_OFFSET(SignalfdSiginfo, addr, struct signalfd_siginfo, ssi_addr);
  EXPECT_SAME_OFFSET(SignalfdSiginfo, addr_lsb, struct signalfd_siginfo, ssi_addr_lsb);
  EXPECT_SAME_OFFSET(SignalfdSiginfo, syscall, struct signalfd_siginfo, ssi_syscall);
  EXPECT_SAME_OFFSET(SignalfdSiginfo, call_addr, struct signalfd_siginfo, ssi_call_addr);
  EXPECT_SAME_OFFSET(SignalfdSiginfo, arch, struct signalfd_siginfo, ssi_arch);
}

TEST(SignalAbiTest, SigSetOrdersLikeLinux) {
  SigSet s;
  s.Add(kSigSegv);
  s.Add(kSigInt);
  EXPECT_EQ(s.bits(), (1ull << 10) | (1ull << 1));
  EXPECT_EQ(s.Lowest(), kSigInt);
  s.Add(64);
  EXPECT_TRUE(s.Has(64));
  s.Remove(kSigInt);
  EXPECT_EQ(s.Lowest(), kSigSegv);
  EXPECT_TRUE(kUnblockable.Has(kSigKill));
  EXPECT_TRUE(kUnblockable.Has(kSigStop));
  EXPECT_FALSE(kUnblockable.Has(kSigTstp));
}

}  // namespace
}  // namespace kernel::signal
