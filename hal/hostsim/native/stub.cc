// Stub processes: fork, strip, ptrace, inject. See stub.h.
#include "hal/hostsim/native/stub.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace hal::hostsim::native {
namespace {

long Ptrace(int request, pid_t pid, uint64_t addr = 0, uint64_t data = 0) {
  return syscall(SYS_ptrace, request, pid, addr, data);
}

// [linux include/uapi/linux/ptrace.h]; <linux/ptrace.h> clashes with glibc's <sys/ptrace.h>.
constexpr int kPtraceGetRseqConfiguration = 0x420f;
struct RseqConfiguration {
  uint64_t rseq_abi_pointer;
  uint32_t rseq_abi_size;
  uint32_t signature;
  uint32_t flags;
  uint32_t pad;
};
constexpr uint64_t kRseqFlagUnregister = 1;  // [linux include/uapi/linux/rseq.h]

std::string Errno(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

// The child's side of Spawn, between fork and its first stop. Only raw system calls: the
// child of a multithreaded process may not take locks, and nothing here needs libc.
[[noreturn]] void ChildMain(pid_t parent) {
  // Dies with its parent thread, even when the parent is SIGKILLed before it could attach.
  syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (syscall(SYS_getppid) != parent) syscall(SYS_exit_group, 1);
  // A session of its own: terminal signals (^C, ^Z, SIGHUP) go to the simulator alone.
  syscall(SYS_setsid);
  if (syscall(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0) != 0) syscall(SYS_exit_group, 2);
  syscall(SYS_kill, syscall(SYS_getpid), SIGSTOP);
  // The tracer never lets it get here: it points rip into the control area.
  syscall(SYS_exit_group, 3);
  __builtin_unreachable();
}

// The stub starts on a stack of its own. Spawn often runs on a kernel task's stack, which
// lives in the physical-memory arena, a MAP_SHARED mapping: after a plain fork the child would
// push onto the very pages the parent is using. A static array is a private mapping, which
// the child gets a copy of.
alignas(64) char g_child_stack[64 * 1024];

int ChildEntry(void* parent) { ChildMain(static_cast<pid_t>(reinterpret_cast<intptr_t>(parent))); }

}  // namespace

// ---- StubArea ----

std::unique_ptr<StubArea> StubArea::Create(std::string* error) {
  std::unique_ptr<StubArea> area(new StubArea);
  area->fd_ = memfd_create("aramid-stub", MFD_CLOEXEC);
  if (area->fd_ < 0 || ftruncate(area->fd_, kPageSize) != 0) {
    *error = Errno("stub area memfd");
    return nullptr;
  }
  uint8_t code[kPageSize];
  std::memset(code, 0xcc, sizeof(code));  // int3 everywhere else
  std::memcpy(code, StubCodeBytes(), StubCodeSize());
  if (pwrite(area->fd_, code, sizeof(code), 0) != static_cast<ssize_t>(sizeof(code))) {
    *error = Errno("stub area code");
    return nullptr;
  }
  void* p = mmap(nullptr, kPageSize, PROT_READ | PROT_EXEC, MAP_SHARED, area->fd_, 0);
  if (p == MAP_FAILED) {
    *error = Errno("stub area mapping");
    return nullptr;
  }
  area->host_code_ = p;
  return area;
}

StubArea::~StubArea() {
  if (host_code_ != nullptr) munmap(host_code_, kPageSize);
  if (fd_ >= 0) close(fd_);
}

bool StubArea::AllocSlot(unsigned* slot, StubCommand** host_page) {
  unsigned s;
  if (!free_.empty()) {
    s = free_.back();
    free_.pop_back();
  } else {
    s = slots_;
    if (ftruncate(fd_, static_cast<off_t>((s + 2) * kPageSize)) != 0) return false;
    ++slots_;
  }
  void* p = mmap(nullptr, kPageSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd_,
                 static_cast<off_t>((s + 1) * kPageSize));
  if (p == MAP_FAILED) {
    free_.push_back(s);
    return false;
  }
  *slot = s;
  *host_page = static_cast<StubCommand*>(p);
  return true;
}

void StubArea::FreeSlot(unsigned slot, StubCommand* host_page) {
  munmap(host_page, kPageSize);
  free_.push_back(slot);
}

// ---- stops ----

void DecodeWaitStatus(pid_t pid, int status, StubStop* stop) {
  *stop = StubStop{};
  stop->status = status;
  if (!WIFSTOPPED(status)) {
    stop->kind = StubStop::Kind::kGone;
    return;
  }
  int sig = WSTOPSIG(status);
  if (sig == (SIGTRAP | 0x80)) {
    stop->kind = StubStop::Kind::kSyscall;
    return;
  }
  if ((status >> 16) != 0) {  // PTRACE_EVENT_* stops
    stop->kind = StubStop::Kind::kOther;
    stop->signal = sig;
    return;
  }
  // A signal-delivery stop (or a group stop, which GETSIGINFO refuses with EINVAL).
  stop->signal = sig;
  if (Ptrace(PTRACE_GETSIGINFO, pid, 0, reinterpret_cast<uint64_t>(&stop->info)) != 0) {
    stop->kind = StubStop::Kind::kOther;
    return;
  }
  stop->kind = StubStop::Kind::kSignal;
}

// ---- Stub ----

std::unique_ptr<Stub> Stub::Spawn(StubArea& area, int arena_fd, uint64_t base, std::string* error) {
  std::unique_ptr<Stub> stub(new Stub);
  stub->area_ = &area;
  stub->base_ = base;
  if (!area.AllocSlot(&stub->slot_, &stub->commands_)) {
    *error = Errno("stub command page");
    stub->commands_ = nullptr;
    return nullptr;
  }
  pid_t parent = getpid();
  // fork's semantics (a copy of the address space, SIGCHLD to the parent) with the child on
  // g_child_stack; no atfork handlers run, which suits a child that makes raw system calls only.
  pid_t pid = clone(&ChildEntry, g_child_stack + sizeof(g_child_stack), SIGCHLD,
                    reinterpret_cast<void*>(static_cast<intptr_t>(parent)));
  if (pid < 0) {
    *error = Errno("clone");
    return nullptr;
  }
  stub->pid_ = pid;
  stub->alive_ = true;
  stub->pidfd_ = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (stub->pidfd_ < 0) {
    *error = Errno("pidfd_open");
    return nullptr;
  }
  if (!stub->Setup(area, arena_fd, error)) return nullptr;  // the destructor kills it
  return stub;
}

bool Stub::Setup(StubArea& area, int arena_fd, std::string* error) {
  int status = 0;
  while (waitpid(pid_, &status, __WALL) < 0) {
    if (errno != EINTR) {
      *error = Errno("waitpid(stub)");
      return false;
    }
  }
  if (!WIFSTOPPED(status) || WSTOPSIG(status) != SIGSTOP) {
    alive_ = WIFSTOPPED(status);
    *error = "stub did not stop as expected (status " + std::to_string(status) + ")";
    return false;
  }
  if (Ptrace(PTRACE_SETOPTIONS, pid_, 0, PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL) != 0) {
    *error = Errno("PTRACE_SETOPTIONS");
    return false;
  }
  if (!GetRegs(&template_regs_)) {
    *error = Errno("PTRACE_GETREGS");
    return false;
  }
  template_regs_.fs_base = 0;
  template_regs_.gs_base = 0;

  gadget_ = area.host_code() + kStubSyscallGadget;
  // glibc registers every thread for restartable sequences, and fork keeps the registration.
  // Once the stub's memory is gone the host would fault on the rseq area at the next return
  // to user mode and kill the stub (SIGSEGV): unregister first [man 2 rseq].
  RseqConfiguration rseq{};
  if (Ptrace(kPtraceGetRseqConfiguration, pid_, sizeof(rseq), reinterpret_cast<uint64_t>(&rseq)) >
          0 &&
      rseq.rseq_abi_pointer != 0) {
    int64_t r = Syscall(SYS_rseq, rseq.rseq_abi_pointer, rseq.rseq_abi_size, kRseqFlagUnregister,
                        rseq.signature);
    if (r != 0) {
      *error = "cannot unregister the stub's rseq area: " + std::to_string(r);
      return false;
    }
  }
  // The control area, mapped through the copy of this process's code page that the child
  // inherited; from then on everything runs from the control area.
  const uint64_t prot_rx = PROT_READ | PROT_EXEC, prot_rw = PROT_READ | PROT_WRITE;
  const uint64_t shared_fixed = MAP_SHARED | MAP_FIXED;
  if (Syscall(SYS_mmap, base_, kPageSize, prot_rx, shared_fixed, area.fd(), 0) !=
          static_cast<int64_t>(base_) ||
      Syscall(SYS_mmap, base_ + kPageSize, kPageSize, prot_rw, shared_fixed, area.fd(),
              (slot_ + 1) * kPageSize) != static_cast<int64_t>(base_ + kPageSize)) {
    *error = "cannot map the stub's control area";
    return false;
  }
  gadget_ = base_ + kStubSyscallGadget;

  // Everything else goes: the simulator's code, heap, stacks, the host vDSO and vvar (a
  // program must never read the host's clock), the arena mapping.
  StubCommand* c = commands_;
  auto* data = reinterpret_cast<uint8_t*>(commands_) + kCommandDataOffset;
  std::memset(data, 0, kPageSize - kCommandDataOffset);
  const uint64_t data_addr = base_ + kPageSize + kCommandDataOffset;
  size_t n = 0;
  c[n++] = {SYS_munmap, {0, base_}, 0};
  c[n++] = {SYS_munmap, {base_ + kControlSize, kHostTaskSize - base_ - kControlSize}, 0};
  c[n++] = {SYS_fcntl, {static_cast<uint64_t>(arena_fd), F_DUPFD, 200}, 0};
  c[n++] = {SYS_fcntl, {static_cast<uint64_t>(area.fd()), F_DUPFD, 200}, 0};
  if (!RunBatch(n) || c[0].result != 0 || c[1].result != 0 || c[2].result < 0 || c[3].result < 0) {
    *error = "cannot strip the stub";
    return false;
  }
  const uint64_t arena_tmp = static_cast<uint64_t>(c[2].result);
  const uint64_t control_tmp = static_cast<uint64_t>(c[3].result);

  // Data the calls below point at: an empty signal set and SIG_DFL sigaction (zeros), a
  // disabled alternate stack, the process name.
  auto* altstack = reinterpret_cast<stack_t*>(data + 64);
  altstack->ss_flags = SS_DISABLE;
  std::memcpy(data + 128, "aramid-stub", 12);
  n = 0;
  c[n++] = {SYS_dup3, {arena_tmp, kStubArenaFd, 0}, 0};
  c[n++] = {SYS_dup3, {control_tmp, kStubControlFd, 0}, 0};
  c[n++] = {SYS_close_range, {0, kStubArenaFd - 1, 0}, 0};
  c[n++] = {SYS_close_range, {kStubControlFd + 1, ~0u, 0}, 0};
  // rdtsc and rdtscp fault (SIGSEGV), so the tracer can answer them from the virtual clock.
  c[n++] = {SYS_prctl, {PR_SET_TSC, PR_TSC_SIGSEGV}, 0};
  c[n++] = {SYS_prctl, {PR_SET_NAME, data_addr + 128}, 0};
  c[n++] = {SYS_rt_sigprocmask, {SIG_SETMASK, data_addr, 0, 8}, 0};
  c[n++] = {SYS_sigaltstack, {data_addr + 64, 0}, 0};
  if (!RunBatch(n)) {
    *error = "stub died during setup";
    return false;
  }
  for (size_t i = 0; i < n; ++i) {
    // close_range may be missing on old hosts (ENOSYS): harmless, the fds only stay open.
    if (c[i].result < 0 && !(c[i].nr == SYS_close_range && c[i].result == -ENOSYS)) {
      *error = "stub setup call " + std::to_string(c[i].nr) +
               " failed: " + std::strerror(static_cast<int>(-c[i].result));
      return false;
    }
  }
  // Dispositions inherited from the simulator (ASan's SIGSEGV handler, say) point at code the
  // stub no longer has. They never run (every signal stops the stub and is discarded), but a
  // clean stub is easier to reason about. 62 calls: two batches.
  for (uint64_t first = 1; first <= 64; first += 32) {
    n = 0;
    for (uint64_t sig = first; sig < first + 32; ++sig) {
      if (sig == SIGKILL || sig == SIGSTOP) continue;
      c[n++] = {SYS_rt_sigaction, {sig, data_addr, 0, 8}, 0};
    }
    if (!RunBatch(n)) {
      *error = "stub died during setup";
      return false;
    }
  }
  return true;
}

Stub::~Stub() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    int status;
    // A traced process reports its death to us; reap it so that no zombie is left.
    while (waitpid(pid_, &status, __WALL) >= 0 || errno == EINTR) {
      if (WIFEXITED(status) || WIFSIGNALED(status)) break;
    }
  }
  if (pidfd_ >= 0) close(pidfd_);
  if (commands_ != nullptr) area_->FreeSlot(slot_, commands_);
}

bool Stub::GetRegs(user_regs_struct* regs) {
  return Ptrace(PTRACE_GETREGS, pid_, 0, reinterpret_cast<uint64_t>(regs)) == 0;
}
bool Stub::SetRegs(const user_regs_struct& regs) {
  return Ptrace(PTRACE_SETREGS, pid_, 0, reinterpret_cast<uint64_t>(&regs)) == 0;
}
bool Stub::GetFpu(void* fxsave512) {
  return Ptrace(PTRACE_GETFPREGS, pid_, 0, reinterpret_cast<uint64_t>(fxsave512)) == 0;
}
bool Stub::SetFpu(const void* fxsave512) {
  return Ptrace(PTRACE_SETFPREGS, pid_, 0, reinterpret_cast<uint64_t>(fxsave512)) == 0;
}

bool Stub::Resume(const user_regs_struct& regs, StubStop* stop) {
  if (!SetRegs(regs)) {
    if (errno != ESRCH) return false;  // EIO: registers the host refuses
    // Not in a ptrace stop any more: killed from outside. Collect its death.
    WaitStop(stop);
    return true;
  }
  if (Ptrace(PTRACE_SYSEMU, pid_, 0, 0) != 0) {
    // The stub vanished between the stop and now (killed from outside).
    alive_ = false;
    *stop = StubStop{};
    return true;
  }
  WaitStop(stop);
  return true;
}

void Stub::WaitStop(StubStop* stop) {
  int status = 0;
  while (waitpid(pid_, &status, __WALL) < 0) {
    if (errno != EINTR) {
      alive_ = false;
      *stop = StubStop{};
      return;
    }
  }
  DecodeWaitStatus(pid_, status, stop);
  if (stop->kind == StubStop::Kind::kGone) alive_ = false;
}

bool Stub::RunInjected(const user_regs_struct& regs, user_regs_struct* out, int* fault) {
  if (!alive_ || !SetRegs(regs)) return false;
  ++injections_;
  for (;;) {
    if (Ptrace(PTRACE_CONT, pid_, 0, 0) != 0) {
      alive_ = false;
      return false;
    }
    StubStop stop;
    WaitStop(&stop);
    if (stop.kind == StubStop::Kind::kGone) return false;
    if (stop.kind == StubStop::Kind::kSignal && stop.signal == SIGTRAP &&
        stop.info.si_code == SI_KERNEL) {
      return GetRegs(out);  // the int3 at the end of the gadget or the loop
    }
    if (stop.kind == StubStop::Kind::kSignal &&
        (stop.signal == SIGSEGV || stop.signal == SIGBUS || stop.signal == SIGILL)) {
      if (fault != nullptr) *fault = stop.signal;
      return false;  // our own code faulted
    }
    // Anything else (a late preemption signal, a stray signal) is dropped: continue.
  }
}

int64_t Stub::Syscall(int64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                      uint64_t a5) {
  user_regs_struct regs = template_regs_;
  regs.rip = gadget_;
  regs.rax = static_cast<uint64_t>(nr);
  regs.orig_rax = ~0ull;  // not in a system call: the host must not restart anything
  regs.rdi = a0;
  regs.rsi = a1;
  regs.rdx = a2;
  regs.r10 = a3;
  regs.r8 = a4;
  regs.r9 = a5;
  user_regs_struct out;
  if (!RunInjected(regs, &out)) return -ESRCH;
  return static_cast<int64_t>(out.rax);
}

bool Stub::RunBatch(size_t n) {
  if (n == 0) return true;
  commands_[n].nr = -1;
  user_regs_struct regs = template_regs_;
  regs.rip = base_ + kStubBatchLoop;
  regs.rbx = base_ + kPageSize;
  regs.orig_rax = ~0ull;
  user_regs_struct out;
  return RunInjected(regs, &out);
}

bool Stub::RdtscFaults() {
  user_regs_struct regs = template_regs_;
  regs.rip = base_ + kStubRdtscProbe;
  regs.orig_rax = ~0ull;
  user_regs_struct out;
  int fault = 0;
  return !RunInjected(regs, &out, &fault) && fault == SIGSEGV;
}

bool Stub::Relocate(uint64_t new_base) {
  const uint64_t prot_rx = PROT_READ | PROT_EXEC, prot_rw = PROT_READ | PROT_WRITE;
  const uint64_t shared_fixed = MAP_SHARED | MAP_FIXED;
  StubCommand* c = commands_;
  c[0] = {SYS_mmap, {new_base, kPageSize, prot_rx, shared_fixed, kStubControlFd, 0}, 0};
  c[1] = {SYS_mmap,
          {new_base + kPageSize, kPageSize, prot_rw, shared_fixed, kStubControlFd,
           (slot_ + 1) * kPageSize},
          0};
  if (!RunBatch(2) || c[0].result != static_cast<int64_t>(new_base) ||
      c[1].result != static_cast<int64_t>(new_base + kPageSize)) {
    return false;
  }
  const uint64_t old_base = base_;
  base_ = new_base;
  gadget_ = new_base + kStubSyscallGadget;
  return Syscall(SYS_munmap, old_base, kControlSize) == 0;
}

}  // namespace hal::hostsim::native
