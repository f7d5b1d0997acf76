#pragma once
// hostsim native mode: user code of real Linux programs runs in ptrace'd stub processes, one
// per address space, and everything that would enter a kernel enters ours (docs/hostsim-native.md).
//
//   auto mode = hal::hostsim::native::NativeUserMode::Create({}, &error);
//   mode->Install();   // SetUserMode + SetAddressSpaceObserver
//   ... the kernel runs tasks; Cpu::EnterUser(ctx) resumes the stub of Mmu::Active() ...
//
// EnterUser (Run) resumes the stub with PTRACE_SYSEMU and turns its next stop into a Trap:
//  - a system call (skipped by the host): kSyscall;
//  - SIGSEGV on a page whose PTE is present and allows the access: a TLB fill, mirrored at once
//    without the kernel; otherwise kPageFault with the x86 error code (fault_decode.h);
//  - rdtsc/rdtscp (made to fault with PR_SET_TSC): answered from the virtual clock;
//  - SIGILL, SIGFPE, SIGBUS, SIGTRAP, #GP: kFault with the x86 vector;
//  - the preemption signal after a quantum of host time in user mode: kInterrupt;
//  - a stub that died: kFault with the machine-check vector (the kernel kills the process), and
//    a fresh stub for the address space next time.
// Host code.
#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <hal/cpu.h>
#include <hal/mmu.h>

#include "hal/hostsim/address_space_observer.h"
#include "hal/hostsim/machine.h"
#include "hal/hostsim/native/mirror.h"
#include "hal/hostsim/native/stub.h"
#include "hal/hostsim/native/watchdog.h"

namespace hal::hostsim::native {

struct NativeOptions {
  /// Virtual nanoseconds each trap the kernel sees costs (MachineConfig::ns_per_trap).
  uint64_t ns_per_trap = 1000;
  /// Stub CPU time in one stay in user mode before a preemption interrupt; 0: never preempt.
  uint64_t preempt_ns = 5'000'000;
  /// A fill also mirrors the present pages of the aligned block of this many pages around
  /// the fault (1: the page alone).
  unsigned fault_around_pages = 16;
  /// Reset stubs kept for new address spaces (fork, execve) instead of forking new ones.
  size_t pool_size = 8;
  /// Mirrored pages per stub before all are dropped (vm.max_map_count is 65530 by default).
  size_t max_mirrored_pages = 60'000;
  /// Pin stubs to the first CPU this process may use, so that CPUID's APIC IDs (which the
  /// host cannot make fault here) do not change from run to run.
  bool pin_stubs = true;
  /// The emulated TSC's frequency: rdtsc returns virtual nanoseconds times this / 1e9.
  uint64_t tsc_hz = 1'000'000'000;
};

struct NativeStats {
  uint64_t syscalls = 0, page_faults = 0, faults = 0, interrupts = 0;
  uint64_t fills = 0, filled_pages = 0, prefilled_pages = 0, flushes = 0, evictions = 0;
  uint64_t emulated = 0, spurious_signals = 0, stub_deaths = 0;
  uint64_t stubs_spawned = 0, stubs_reused = 0, relocations = 0;
};

class NativeUserMode final : public UserMode, public AddressSpaceObserver {
 public:
  /// Null, with `error` set, when the host cannot do ptrace or memfds.
  static std::unique_ptr<NativeUserMode> Create(const NativeOptions& options, std::string* error);
  ~NativeUserMode() override;
  NativeUserMode(const NativeUserMode&) = delete;
  NativeUserMode& operator=(const NativeUserMode&) = delete;

  /// Makes this the machine's user mode and address-space observer (and undoes that).
  void Install();
  void Uninstall();

  // UserMode
  Trap Run(UserContext& ctx) override;
  void SaveFpu(UserContext& ctx) override;
  void RestoreFpu(UserContext& ctx) override;

  // AddressSpaceObserver
  void OnUnmap(PageTableRoot root, u64 va, const Translation& old) override;
  void OnProtect(PageTableRoot root, u64 va, const Translation& old,
                 const Translation& now) override;
  void OnDestroy(PageTableRoot root) override;

  const NativeStats& stats() const { return stats_; }
  /// The stub playing `root` (0 when it has none yet), and the number of live stubs
  /// (address spaces plus the pool).
  pid_t StubPid(PageTableRoot root) const;
  size_t live_stubs() const;
  /// The stub's control-area address for `root` (tests of relocation).
  uint64_t ControlBase(PageTableRoot root) const;
  /// What this host lets native mode make deterministic: rdtsc/rdtscp fault (PR_SET_TSC is
  /// honoured) and cpuid faults (CPUID faulting). Otherwise they run natively.
  bool rdtsc_faults() const { return rdtsc_faults_; }
  bool cpuid_faults() const { return cpuid_faults_; }
  /// Why the last stub could not be made, for the message of a machine-check trap.
  const std::string& last_error() const { return last_error_; }

 private:
  struct Space {
    std::unique_ptr<Stub> stub;
    Mirror mirror;
    std::vector<uint64_t> prefill;  ///< pages the kernel just resolved a fault on
  };

  NativeUserMode(const NativeOptions& options, std::unique_ptr<StubArea> area);
  Space* SpaceFor(PageTableRoot root);
  std::unique_ptr<Stub> TakeStub();
  void RetireStub(std::unique_ptr<Stub> stub);
  bool Prepare(PageTableRoot root, Space& s);
  bool RunOps(Space& s, const std::vector<MirrorOp>& ops, std::vector<bool>* ok);
  bool EnsureControlArea(PageTableRoot root, Space& s);
  void EvictAll(Space& s);
  bool Fill(PageTableRoot root, Space& s, uint64_t page);
  bool LoadFpu(Stub& stub);
  void LoseStub(Space& s);
  bool HandleSegv(PageTableRoot root, Space& s, UserContext& ctx, const siginfo_t& info,
                  Trap* trap);
  bool Emulate(PageTableRoot root, UserContext& ctx);
  Trap Finish(Trap trap);

  NativeOptions options_;
  std::unique_ptr<StubArea> area_;
  Watchdog watchdog_;
  std::unordered_map<PhysAddr, Space> spaces_;
  std::vector<std::unique_ptr<Stub>> pool_;
  int cpu_ = -1;  ///< the CPU stubs are pinned to
  bool rdtsc_faults_ = false;
  bool cpuid_faults_ = false;

  // The FPU: the state of the task in (or last in) user mode lives in `fpu_owner_`'s
  // registers, unless RestoreFpu put a new one in `fpu_buffer_` (fpu_dirty_), which goes into
  // whichever stub runs next.
  Stub* fpu_owner_ = nullptr;
  bool fpu_dirty_ = false;
  alignas(16) uint8_t fpu_buffer_[512] = {};

  // The last fill, to notice one that does not stick.
  uint64_t last_fill_page_ = 0, last_fill_rip_ = 0;
  unsigned repeated_fills_ = 0;

  NativeStats stats_;
  std::string last_error_;
  bool installed_ = false;
};

/// PROT_* rights user mode has through a leaf with these pte:: flags (0: none).
int ProtOfPte(u64 flags);

}  // namespace hal::hostsim::native
