#pragma once
/// The Linux x86_64 signal ABI: numbers, flags, si_codes and the structures user space sees
/// (kernel sigaction, siginfo, stack_t, sigcontext, ucontext, rt_sigframe, signalfd_siginfo).
/// Values and layouts are Linux's [linux include/uapi/asm-generic/signal*.h,
/// arch/x86/include/uapi/asm/sigcontext.h, arch/x86/include/asm/sigframe.h]; signal/abi_test.cc
/// checks every offset against the host's own headers.
#include "kernel/lib/types.h"

namespace kernel::signal {

// ---- signal numbers [man 7 signal] ----
inline constexpr int kSigHup = 1, kSigInt = 2, kSigQuit = 3, kSigIll = 4, kSigTrap = 5,
                     kSigAbrt = 6, kSigBus = 7, kSigFpe = 8, kSigKill = 9, kSigUsr1 = 10,
                     kSigSegv = 11, kSigUsr2 = 12, kSigPipe = 13, kSigAlrm = 14, kSigTerm = 15,
                     kSigStkflt = 16, kSigChld = 17, kSigCont = 18, kSigStop = 19, kSigTstp = 20,
                     kSigTtin = 21, kSigTtou = 22, kSigUrg = 23, kSigXcpu = 24, kSigXfsz = 25,
                     kSigVtalrm = 26, kSigProf = 27, kSigWinch = 28, kSigIo = 29, kSigPwr = 30,
                     kSigSys = 31;
inline constexpr int kSigRtMin = 32;  ///< the kernel's SIGRTMIN; libcs reserve the first few
inline constexpr int kNumSignals = 64;

constexpr bool IsValidSignal(int sig) { return sig >= 1 && sig <= kNumSignals; }
constexpr bool IsRealtime(int sig) { return sig >= kSigRtMin && sig <= kNumSignals; }

// ---- sa_flags [man 2 sigaction] ----
inline constexpr u64 kSaNoCldStop = 0x00000001;
inline constexpr u64 kSaNoCldWait = 0x00000002;
inline constexpr u64 kSaSigInfo = 0x00000004;
inline constexpr u64 kSaUnsupported = 0x00000400;
inline constexpr u64 kSaExposeTagBits = 0x00000800;
inline constexpr u64 kSaRestorer = 0x04000000;
inline constexpr u64 kSaOnStack = 0x08000000;
inline constexpr u64 kSaRestart = 0x10000000;
inline constexpr u64 kSaNoDefer = 0x40000000;
inline constexpr u64 kSaResetHand = 0x80000000;
/// Flags the kernel reports back as set (SA_UNSUPPORTED is always reported clear, which is how
/// user space detects flag support [man 2 sigaction, "Dynamically probing for flag support"]).
inline constexpr u64 kSaKnownFlags = kSaNoCldStop | kSaNoCldWait | kSaSigInfo | kSaRestorer |
                                     kSaOnStack | kSaRestart | kSaNoDefer | kSaResetHand |
                                     kSaExposeTagBits;

inline constexpr u64 kSigDfl = 0;
inline constexpr u64 kSigIgn = 1;

// ---- rt_sigprocmask how ----
inline constexpr int kSigBlock = 0, kSigUnblock = 1, kSigSetMask = 2;

// ---- sigaltstack ----
inline constexpr int kSsOnStack = 1;
inline constexpr int kSsDisable = 2;
inline constexpr u32 kSsAutoDisarm = 1u << 31;
inline constexpr u64 kMinSigStkSz = 2048;  ///< MINSIGSTKSZ on x86_64

// ---- si_code values [linux include/uapi/asm-generic/siginfo.h] ----
inline constexpr int kSiUser = 0;
inline constexpr int kSiKernel = 0x80;
inline constexpr int kSiQueue = -1;
inline constexpr int kSiTimer = -2;
inline constexpr int kSiMesgq = -3;
inline constexpr int kSiAsyncio = -4;
inline constexpr int kSiSigio = -5;
inline constexpr int kSiTkill = -6;
inline constexpr int kIllIllOpc = 1, kIllIllOpn = 2, kIllPrvOpc = 5;
inline constexpr int kFpeIntDiv = 1, kFpeFltDiv = 3, kFpeFltInv = 7;
inline constexpr int kSegvMapErr = 1, kSegvAccErr = 2;
inline constexpr int kBusAdrAln = 1, kBusAdrErr = 2;
inline constexpr int kTrapBrkpt = 1, kTrapTrace = 2;
inline constexpr int kCldExited = 1, kCldKilled = 2, kCldDumped = 3, kCldTrapped = 4,
                     kCldStopped = 5, kCldContinued = 6;
inline constexpr int kPollIn = 1, kPollOut = 2, kPollMsg = 3, kPollErr = 4, kPollPri = 5,
                     kPollHup = 6;

/// A set of the 64 signals; bit (sig - 1) stands for signal sig, as in Linux's sigset_t.
class SigSet {
 public:
  constexpr SigSet() = default;
  constexpr explicit SigSet(u64 bits) : bits_(bits) {}
  static constexpr SigSet Of(int sig) { return SigSet(u64{1} << (sig - 1)); }

  constexpr u64 bits() const { return bits_; }
  constexpr bool Has(int sig) const { return (bits_ >> (sig - 1)) & 1; }
  constexpr void Add(int sig) { bits_ |= u64{1} << (sig - 1); }
  constexpr void Remove(int sig) { bits_ &= ~(u64{1} << (sig - 1)); }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr SigSet operator|(SigSet o) const { return SigSet(bits_ | o.bits_); }
  constexpr SigSet operator&(SigSet o) const { return SigSet(bits_ & o.bits_); }
  constexpr SigSet operator~() const { return SigSet(~bits_); }
  constexpr bool operator==(const SigSet&) const = default;
  /// The lowest-numbered signal in the set, or 0. Linux dequeues synchronous (fault) signals
  /// first, then the lowest number; see Pending::Next.
  constexpr int Lowest() const { return bits_ == 0 ? 0 : __builtin_ctzll(bits_) + 1; }

 private:
  u64 bits_ = 0;
};

/// SIGKILL and SIGSTOP: never blocked, caught or ignored.
inline constexpr SigSet kUnblockable =
    SigSet((u64{1} << (kSigKill - 1)) | (u64{1} << (kSigStop - 1)));
/// The signals whose default action stops the process.
inline constexpr SigSet kStopSignals =
    SigSet((u64{1} << (kSigStop - 1)) | (u64{1} << (kSigTstp - 1)) | (u64{1} << (kSigTtin - 1)) |
           (u64{1} << (kSigTtou - 1)));
/// Signals raised synchronously by the CPU; dequeued before any other [linux SYNCHRONOUS_MASK].
inline constexpr SigSet kSynchronous =
    SigSet((u64{1} << (kSigSegv - 1)) | (u64{1} << (kSigBus - 1)) | (u64{1} << (kSigIll - 1)) |
           (u64{1} << (kSigTrap - 1)) | (u64{1} << (kSigFpe - 1)) | (u64{1} << (kSigSys - 1)));

/// `struct sigaction` as the rt_sigaction system call takes it (not libc's layout).
struct KSigaction {
  u64 handler;   ///< SIG_DFL, SIG_IGN or a function address
  u64 flags;     ///< SA_*
  u64 restorer;  ///< the return trampoline when SA_RESTORER
  u64 mask;      ///< sigset_t: signals blocked while the handler runs
};
static_assert(sizeof(KSigaction) == 32);

/// `siginfo_t`: 128 bytes; the union at offset 16 depends on the signal and si_code.
struct SigInfo {
  i32 signo = 0;
  i32 errno_value = 0;
  i32 code = 0;
  i32 pad0 = 0;
  union Fields {
    u8 raw[112];
    struct Kill {  // SI_USER, SI_TKILL, SI_QUEUE, SI_MESGQ: si_pid, si_uid, si_value
      i32 pid;
      u32 uid;
      u64 value;
    } kill;
    struct Timer {  // SI_TIMER: si_timerid, si_overrun, si_value
      i32 tid;
      i32 overrun;
      u64 value;
    } timer;
    struct Chld {  // SIGCHLD: si_pid, si_uid, si_status, si_utime, si_stime
      i32 pid;
      u32 uid;
      i32 status;
      i32 pad;
      i64 utime;
      i64 stime;
    } chld;
    struct Fault {  // SIGSEGV/SIGBUS/SIGILL/SIGFPE/SIGTRAP: si_addr, si_addr_lsb
      u64 addr;
      i16 addr_lsb;
    } fault;
    struct Poll {  // SIGPOLL: si_band, si_fd
      i64 band;
      i32 fd;
    } poll;
  } f = {};
};
static_assert(sizeof(SigInfo) == 128);

/// `stack_t` [man 2 sigaltstack].
struct StackT {
  u64 sp = 0;
  i32 flags = 0;
  i32 pad = 0;
  u64 size = 0;
};
static_assert(sizeof(StackT) == 24);

/// `struct sigcontext` (x86_64): the register image in a signal frame.
struct SigContext {
  u64 r8, r9, r10, r11, r12, r13, r14, r15;
  u64 rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
  u16 cs, gs, fs, ss;
  u64 err, trapno, oldmask, cr2;
  u64 fpstate;  ///< user address of the FXSAVE/XSAVE image, 0 when none
  u64 reserved1[8];
};
static_assert(sizeof(SigContext) == 256);

/// uc_flags bits [linux arch/x86/include/uapi/asm/ucontext.h].
inline constexpr u64 kUcFpXstate = 0x1;
inline constexpr u64 kUcSigcontextSs = 0x2;
inline constexpr u64 kUcStrictRestoreSs = 0x4;

/// The kernel's `struct ucontext` (64-bit sigset; libc's ucontext_t is a larger superset).
struct UContext {
  u64 flags;
  u64 link;
  StackT stack;
  SigContext mcontext;
  u64 sigmask;
};
static_assert(sizeof(UContext) == 304);

/// `struct rt_sigframe` (x86_64): at the handler's rsp; pretcode is the return address.
struct RtSigframe {
  u64 pretcode;
  UContext uc;
  SigInfo info;
};
static_assert(sizeof(RtSigframe) == 440);

// ---- FPU state in a frame [linux arch/x86/include/uapi/asm/sigcontext.h] ----
inline constexpr u32 kFpXstateMagic1 = 0x46505853;
inline constexpr u32 kFpXstateMagic2 = 0x46505845;
inline constexpr usize kFxsaveSize = 512;
inline constexpr usize kXsaveHeaderSize = 64;
inline constexpr usize kSwBytesOffset = 464;  ///< struct _fpx_sw_bytes inside the FXSAVE area
inline constexpr u64 kXfeatureFpSse = 0x3;

struct FpxSwBytes {
  u32 magic1;
  u32 extended_size;
  u64 xfeatures;
  u32 xstate_size;
  u32 padding[7];
};
static_assert(sizeof(FpxSwBytes) == 48);

/// `struct signalfd_siginfo` [man 2 signalfd].
struct SignalfdSiginfo {
  u32 signo;
  i32 errno_value;
  i32 code;
  u32 pid;
  u32 uid;
  i32 fd;
  u32 tid;
  u32 band;
  u32 overrun;
  u32 trapno;
  i32 status;
  i32 int_value;
  u64 ptr;
  u64 utime;
  u64 stime;
  u64 addr;
  u16 addr_lsb;
  u16 pad2;
  i32 syscall;
  u64 call_addr;
  u32 arch;
  u8 pad[28];
};
static_assert(sizeof(SignalfdSiginfo) == 128);

/// Linux's user segment selectors on x86_64 (__USER_CS, __USER_DS): what a frame reports and
/// what sigreturn forces.
inline constexpr u16 kUserCs = 0x33;
inline constexpr u16 kUserDs = 0x2b;

/// RFLAGS bits a user may change through sigreturn [linux FIX_EFLAGS]:
/// CF PF AF ZF SF TF DF OF AC RF; never IF, IOPL, NT, VM, VIF, VIP or ID.
inline constexpr u64 kUserChangeableFlags =
    0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x100 | 0x400 | 0x800 | 0x40000 | 0x10000;
inline constexpr u64 kFlagTf = 0x100, kFlagIf = 0x200, kFlagDf = 0x400, kFlagRf = 0x10000;

}  // namespace kernel::signal
