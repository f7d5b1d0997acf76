#pragma once
// A stub: a host process that plays one user address space under ptrace (hostsim native mode).
// Its memory is nothing but mappings of the physical-memory memfd that mirror the address
// space's present page-table entries (mirror.h), plus a two-page control area of its own:
//
//   base + 0     code page (r-x): stub_code.h's syscall gadget and batch loop
//   base + 4096  command page (rw-): the StubCommand records of a batch, one page per stub
//
// The tracer runs user code in it with PTRACE_SYSEMU (every system call stops and is skipped,
// to be emulated by the kernel) and makes it run system calls of its own (mmap, munmap,
// mprotect) by pointing rip at the control area and continuing until the int3.
//
// A stub never outlives the simulator: it asks for SIGKILL when its parent thread dies
// (PR_SET_PDEATHSIG) and the tracer sets PTRACE_O_EXITKILL. It runs in its own session, so a
// terminal's ^C or ^Z never reaches it. Host code; every call must come from the thread that
// created the stub (ptrace's rule).
#include <signal.h>
#include <sys/types.h>
#include <sys/user.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "hal/hostsim/native/stub_code.h"

namespace hal::hostsim::native {

inline constexpr uint64_t kPageSize = 4096;
/// One past the highest page a host process may map (TASK_SIZE on x86_64 with 4-level tables).
inline constexpr uint64_t kHostTaskSize = 0x7fff'ffff'f000ull;
/// Where a stub's control area goes unless a user mapping needs the place: between the
/// default stack limit and the default mmap base, where Linux's layout (and ours, see
/// kernel/mm/layout.h) puts nothing unless asked to.
inline constexpr uint64_t kDefaultControlBase = 0x7fff'fb00'0000ull;
inline constexpr uint64_t kControlSize = 2 * kPageSize;
/// The descriptors the stub keeps: the physical memory and the control memfd.
inline constexpr int kStubArenaFd = 100;
inline constexpr int kStubControlFd = 101;
/// Commands that fit in one batch: records [0, kMaxBatch) plus a terminator; the last 512
/// bytes of the command page hold data the calls point at (kCommandDataOffset).
inline constexpr size_t kMaxBatch = 55;
inline constexpr size_t kCommandDataOffset = 3584;

/// The control memfd: page 0 holds the stub code, page 1 + slot the command page of the stub
/// in `slot`. One per simulator; stubs take and return slots.
class StubArea {
 public:
  /// Creates the memfd and writes the code. Returns null (with a message in `error`) when the
  /// host refuses.
  static std::unique_ptr<StubArea> Create(std::string* error);
  ~StubArea();

  int fd() const { return fd_; }
  /// Where the code page is mapped in this process (and so in a freshly forked child).
  uint64_t host_code() const { return reinterpret_cast<uint64_t>(host_code_); }

  /// A command page: its slot and its mapping in this process. False when the memfd cannot grow.
  bool AllocSlot(unsigned* slot, StubCommand** host_page);
  void FreeSlot(unsigned slot, StubCommand* host_page);

 private:
  StubArea() = default;
  int fd_ = -1;
  void* host_code_ = nullptr;
  unsigned slots_ = 0;          ///< slots the memfd has room for
  std::vector<unsigned> free_;  ///< returned slots, reused first
};

/// Why the stub stopped (or ended).
struct StubStop {
  enum class Kind : uint8_t {
    kSyscall,  ///< syscall-enter stop under PTRACE_SYSEMU: the call was skipped
    kSignal,   ///< signal-delivery stop; `info` is its siginfo (never delivered: we resume with 0)
    kOther,    ///< any other ptrace stop (group stop, event stop)
    kGone,     ///< the process exited or was killed (`status` is waitpid's)
  };
  Kind kind = Kind::kGone;
  int signal = 0;
  int status = 0;
  siginfo_t info{};
};

class Stub {
 public:
  /// Forks a new stub, strips it down to its control area at `base` and stops it. `arena_fd`
  /// is the physical-memory memfd of this process. Null (with `error` set) on failure.
  static std::unique_ptr<Stub> Spawn(StubArea& area, int arena_fd, uint64_t base,
                                     std::string* error);
  /// Kills and reaps the process.
  ~Stub();
  Stub(const Stub&) = delete;
  Stub& operator=(const Stub&) = delete;

  pid_t pid() const { return pid_; }
  int pidfd() const { return pidfd_; }
  uint64_t base() const { return base_; }
  bool alive() const { return alive_; }

  // ---- registers ----
  bool GetRegs(user_regs_struct* regs);
  bool SetRegs(const user_regs_struct& regs);
  /// The FXSAVE image (512 bytes) [intel-sdm 1 §10.5.1].
  bool GetFpu(void* fxsave512);
  bool SetFpu(const void* fxsave512);

  /// Runs user code from `regs` until the next stop (PTRACE_SYSEMU). False: SETREGS refused
  /// the registers (the stop is left untouched).
  bool Resume(const user_regs_struct& regs, StubStop* stop);
  /// Waits for the next stop of a stub that was resumed.
  void WaitStop(StubStop* stop);

  // ---- system calls on the stub's own behalf ----
  /// One call through the gadget: returns the raw result (-errno), or -ESRCH when the stub
  /// died. Clobbers the registers (the caller sets them again before user code runs).
  int64_t Syscall(int64_t nr, uint64_t a0 = 0, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0,
                  uint64_t a4 = 0, uint64_t a5 = 0);
  /// The command page: fill records [0, n) and call RunBatch(n); results come back in place.
  StubCommand* commands() { return commands_; }
  /// Runs commands [0, n) (n <= kMaxBatch). False when the stub died.
  bool RunBatch(size_t n);
  /// Runs the rdtsc probe: true when rdtsc faults in the stub (PR_SET_TSC is honoured; some
  /// hypervisors accept it and do nothing).
  bool RdtscFaults();
  /// Moves the control area to `new_base` (a user mapping wants the old place).
  bool Relocate(uint64_t new_base);

  /// Host-side counters, for benchmarks and tests.
  uint64_t injections() const { return injections_; }

 private:
  Stub() = default;
  bool RunInjected(const user_regs_struct& regs, user_regs_struct* out, int* fault = nullptr);
  bool Setup(StubArea& area, int arena_fd, std::string* error);

  StubArea* area_ = nullptr;
  pid_t pid_ = -1;
  int pidfd_ = -1;
  bool alive_ = false;
  uint64_t base_ = 0;
  uint64_t gadget_ = 0;  ///< the syscall gadget's address in the stub now
  unsigned slot_ = 0;
  StubCommand* commands_ = nullptr;
  user_regs_struct template_regs_{};  ///< segment selectors etc. from the first stop
  uint64_t injections_ = 0;
};

/// Converts a waitpid status + siginfo into a StubStop (exposed for tests).
void DecodeWaitStatus(pid_t pid, int status, StubStop* stop);

}  // namespace hal::hostsim::native
