#pragma once
/// The cpu/trap concern: user register state, entering user mode and the traps that come back,
/// kernel-stack switching, FPU state, idling. Identical contract on x86_64 and hostsim; see
/// "The trap model" in docs/architecture.md.
#include <concepts>

#include <hal/types.h>

namespace hal {

/// User-mode general registers in the order of Linux's `struct user_regs_struct`
/// [linux arch/x86/include/asm/user_64.h], which is also what PTRACE_GETREGS returns, so the
/// hostsim backend can move it in one call and signal frames can be built from it.
struct UserRegs {
  u64 r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
  u64 rax, rcx, rdx, rsi, rdi;
  u64 orig_rax;
  u64 rip, cs, eflags, rsp, ss;
  u64 fs_base, gs_base;
  u64 ds, es, fs, gs;
};
static_assert(sizeof(UserRegs) == 27ul * 8);

/// Extended (x87/SSE/AVX) state in XSAVE layout: the 512-byte legacy FXSAVE area, the 64-byte
/// XSAVE header, then the extended components. 4 KiB covers every component this kernel enables.
inline constexpr usize kFpuStateSize = 4096;
struct alignas(64) FpuState {
  u8 bytes[kFpuStateSize];
};

/// Everything the kernel knows about a task's user mode. `fpu` is authoritative only after
/// Cpu::SaveFpu(); the scheduler saves on switch-out and restores on switch-in.
struct UserContext {
  UserRegs regs;
  FpuState fpu;
};

/// How the user FPU state is saved, for signal frames [linux fpu__alloc_mathframe]: XSAVE
/// (the standard, uncompacted format) with the `xfeatures` of XCR0 and `size` bytes, or
/// FXSAVE only (512 bytes).
struct FpuFrameInfo {
  bool xsave;
  u64 xfeatures;
  u32 size;
};

/// Why EnterUser returned.
enum class TrapKind : u8 {
  kSyscall,    ///< `syscall` executed: number in regs.rax (orig_rax too), args in
               ///< rdi,rsi,rdx,r10,r8,r9
  kPageFault,  ///< #PF from user mode: `address` is CR2, `error_code` the x86 #PF error code
  kFault,      ///< any other exception from user mode: `vector` is the x86 vector number
  kInterrupt,  ///< an interrupt arrived while user code ran (timer, device); the HAL already acked
               ///< it
};

/// x86 #PF error-code bits [intel-sdm 3 §4.7]; the hostsim software MMU produces the same bits.
namespace pf {
inline constexpr u64 kPresent = 1u << 0;      ///< 0: not-present page; 1: protection violation
inline constexpr u64 kWrite = 1u << 1;        ///< the access was a write
inline constexpr u64 kUser = 1u << 2;         ///< the access came from user mode (CPL 3)
inline constexpr u64 kReserved = 1u << 3;     ///< a reserved bit was set in a paging entry
inline constexpr u64 kInstruction = 1u << 4;  ///< the access was an instruction fetch
}  // namespace pf

/// x86 exception vectors, as `Trap::vector` reports them.
namespace vec {
inline constexpr u8 kDivide = 0, kDebug = 1, kNmi = 2, kBreakpoint = 3, kOverflow = 4,
                    kBoundRange = 5, kInvalidOpcode = 6, kDeviceNotAvailable = 7, kDoubleFault = 8,
                    kInvalidTss = 10, kSegmentNotPresent = 11, kStackSegment = 12,
                    kGeneralProtection = 13, kPageFault = 14, kX87 = 16, kAlignmentCheck = 17,
                    kMachineCheck = 18, kSimd = 19;
}  // namespace vec

struct Trap {
  TrapKind kind;
  u8 vector = 0;       ///< exception vector for kFault/kPageFault, IRQ vector for kInterrupt
  u64 error_code = 0;  ///< hardware error code (pf:: bits for page faults)
  u64 address = 0;     ///< faulting linear address for page faults (CR2)
};

/// A suspended kernel execution context: the callee-saved registers live on its own stack and
/// only the stack pointer is kept here. `stack_base`/`stack_size` let hostsim tell sanitizers
/// about the switch.
struct KernelContext {
  u64 rsp = 0;
  void* stack_base = nullptr;
  usize stack_size = 0;
};

using KernelEntry = void (*)(void* arg);

/// What a cpu backend must provide. All functions are static; there is no per-call dispatch.
template <typename T>
concept CpuBackend = requires(UserContext& uc, KernelContext& kc, const KernelContext& ckc,
                              void* stack, usize size, KernelEntry entry, void* arg, u64 frames[],
                              usize n) {
  /// Size of each task's kernel stack (hostsim wants more room under sanitizers).
  { T::kKernelStackSize } -> std::convertible_to<usize>;
  /// Run user code with `uc` until something brings control back to the kernel.
  { T::EnterUser(uc) } -> std::same_as<Trap>;
  /// Prepare `kc` so that switching to it calls entry(arg) on the given stack.
  { T::InitKernelContext(kc, stack, size, entry, arg) } -> std::same_as<void>;
  /// Save the current kernel context into `kc` and resume `ckc`. Returns when switched back.
  { T::SwitchContext(kc, ckc) } -> std::same_as<void>;
  /// Save/restore the user FPU state of the task being switched out/in.
  { T::SaveFpu(uc) } -> std::same_as<void>;
  { T::RestoreFpu(uc) } -> std::same_as<void>;
  /// Initialise `uc.fpu` to the state a fresh process starts with (FCW 0x37f, MXCSR 0x1f80).
  { T::InitFpu(uc) } -> std::same_as<void>;
  /// The format of `UserContext::fpu`, for building and checking signal frames.
  { T::FpuFrame() } -> std::same_as<FpuFrameInfo>;
  /// Nothing is runnable: wait for an interrupt (hostsim: advance the virtual clock, poll input).
  { T::Idle() } -> std::same_as<void>;
  /// Fill `frames` with return addresses of the current kernel call chain; returns the count.
  { T::Backtrace(frames, n) } -> std::same_as<usize>;
};

}  // namespace hal

#include <hal/backend/cpu.h>

namespace hal {
static_assert(CpuBackend<CpuImpl>, "the HAL backend's cpu does not meet the contract");
using Cpu = CpuImpl;
}  // namespace hal
