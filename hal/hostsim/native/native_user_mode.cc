// hostsim native mode: the trap loop over ptrace'd stubs. See native_user_mode.h.
#include "hal/hostsim/native/native_user_mode.h"

#include <asm/prctl.h>
#include <cpuid.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <hal/clock.h>
#include <hal/interrupts.h>
#include <hal/kernel_hooks.h>

#include "hal/hostsim/native/fault_decode.h"
#include "hal/hostsim/soft_mmu.h"

namespace hal::hostsim::native {
namespace {

static_assert(sizeof(UserRegs) == sizeof(user_regs_struct),
              "hal::UserRegs is laid out as Linux's user_regs_struct");

// 64-bit user code and stack selectors of Linux x86_64 [linux arch/x86/include/asm/segment.h].
constexpr uint64_t kUserCs = 0x33, kUserSs = 0x2b;

Trap MachineCheck() { return Trap{TrapKind::kFault, vec::kMachineCheck, 0, 0}; }
Trap GeneralProtection() { return Trap{TrapKind::kFault, vec::kGeneralProtection, 0, 0}; }

// The registers the host takes: selectors are the host's own user selectors (a program cannot
// choose others on x86_64 Linux either), orig_rax -1 so that the host never applies its
// system-call restart logic to registers that are ours, and FS/GS bases the host accepts
// (PTRACE_SETREGS refuses anything from TASK_SIZE up; so does arch_prctl on Linux).
bool ToHost(const UserRegs& in, user_regs_struct* out) {
  std::memcpy(out, &in, sizeof(*out));
  out->orig_rax = ~0ull;
  out->cs = kUserCs;
  out->ss = kUserSs;
  out->ds = out->es = out->fs = out->gs = 0;
  return in.fs_base < kHostTaskSize && in.gs_base < kHostTaskSize;
}

void FromHost(const user_regs_struct& in, UserRegs* out) { std::memcpy(out, &in, sizeof(*out)); }

bool InControlArea(uint64_t va, uint64_t base) { return va >= base && va < base + kControlSize; }

struct FillCollector {
  const Mirror* mirror;
  uint64_t control_base;
  std::vector<MirrorOp>* fills;
};

bool CollectFill(void* cookie, u64 va, const Translation& t) {
  auto* c = static_cast<FillCollector*>(cookie);
  int prot = ProtOfPte(t.flags);
  if (prot != 0 && c->mirror->Find(va) == nullptr && !InControlArea(va, c->control_base)) {
    c->fills->push_back({MirrorOp::Kind::kMap, va, kPageSize, prot, t.phys});
  }
  return true;
}

}  // namespace

int ProtOfPte(u64 flags) {
  if ((flags & pte::kPresent) == 0 || (flags & pte::kUser) == 0) return 0;
  return ProtFor(true, (flags & pte::kWritable) != 0, (flags & pte::kNoExecute) == 0);
}

// ---- lifetime ----

NativeUserMode::NativeUserMode(const NativeOptions& options, std::unique_ptr<StubArea> area)
    : options_(options), area_(std::move(area)), watchdog_(options.preempt_ns) {}

std::unique_ptr<NativeUserMode> NativeUserMode::Create(const NativeOptions& options,
                                                       std::string* error) {
  auto area = StubArea::Create(error);
  if (area == nullptr) return nullptr;
  std::unique_ptr<NativeUserMode> mode(new NativeUserMode(options, std::move(area)));
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    for (int i = 0; i < CPU_SETSIZE; ++i) {
      if (CPU_ISSET(i, &set)) {
        mode->cpu_ = i;
        break;
      }
    }
  }
  // One stub now, into the pool: a host that forbids ptrace says so here, not mid-program.
  auto stub = mode->TakeStub();
  if (stub == nullptr) {
    *error = mode->last_error_;
    return nullptr;
  }
  mode->rdtsc_faults_ = stub->RdtscFaults();
  mode->pool_.push_back(std::move(stub));
  return mode;
}

NativeUserMode::~NativeUserMode() {
  Uninstall();
  spaces_.clear();
  pool_.clear();
}

void NativeUserMode::Install() {
  SetUserMode(this);
  SetAddressSpaceObserver(this);
  installed_ = true;
}

void NativeUserMode::Uninstall() {
  if (!installed_) return;
  if (GetUserMode() == this) SetUserMode(nullptr);
  SetAddressSpaceObserver(nullptr);
  installed_ = false;
}

std::unique_ptr<Stub> NativeUserMode::TakeStub() {
  if (!pool_.empty()) {
    auto stub = std::move(pool_.back());
    pool_.pop_back();
    ++stats_.stubs_reused;
    return stub;
  }
  std::string error;
  auto stub = Stub::Spawn(*area_, ArenaFd(), kDefaultControlBase, &error);
  if (stub == nullptr) {
    last_error_ = "cannot start a stub process: " + error;
    return nullptr;
  }
  ++stats_.stubs_spawned;
  if (options_.pin_stubs && cpu_ >= 0) {
    // The mask goes in the command page's data area, where the stub can read it.
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu_, &set);
    auto* data = reinterpret_cast<uint8_t*>(stub->commands()) + kCommandDataOffset;
    std::memcpy(data, &set, 128);
    stub->Syscall(SYS_sched_setaffinity, 0, 128, stub->base() + kPageSize + kCommandDataOffset);
  }
  // CPUID faulting, where the CPU has it (Intel, and the host allows it): cpuid then faults
  // and is answered below without the per-CPU fields. ENODEV elsewhere.
  cpuid_faults_ = stub->Syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0) == 0;
  return stub;
}

void NativeUserMode::RetireStub(std::unique_ptr<Stub> stub) {
  if (stub == nullptr || !stub->alive()) return;
  if (pool_.size() >= options_.pool_size) return;  // the destructor kills it
  StubCommand* c = stub->commands();
  const uint64_t base = stub->base();
  c[0] = {SYS_munmap, {0, base}, 0};
  c[1] = {SYS_munmap, {base + kControlSize, kHostTaskSize - base - kControlSize}, 0};
  if (!stub->RunBatch(2) || c[0].result != 0 || c[1].result != 0) return;
  pool_.push_back(std::move(stub));
}

NativeUserMode::Space* NativeUserMode::SpaceFor(PageTableRoot root) { return &spaces_[root.pml4]; }

void NativeUserMode::LoseStub(Space& s) {
  if (fpu_owner_ == s.stub.get()) fpu_owner_ = nullptr;
  s.stub.reset();
  s.mirror.Forget();
  s.prefill.clear();
}

pid_t NativeUserMode::StubPid(PageTableRoot root) const {
  auto it = spaces_.find(root.pml4);
  return it == spaces_.end() || it->second.stub == nullptr ? 0 : it->second.stub->pid();
}

uint64_t NativeUserMode::ControlBase(PageTableRoot root) const {
  auto it = spaces_.find(root.pml4);
  return it == spaces_.end() || it->second.stub == nullptr ? 0 : it->second.stub->base();
}

size_t NativeUserMode::live_stubs() const {
  size_t n = pool_.size();
  for (const auto& [pml4, s] : spaces_) n += s.stub != nullptr ? 1 : 0;
  return n;
}

// ---- the observer: page-table changes become queued munmap/mprotect ----

void NativeUserMode::OnUnmap(PageTableRoot root, u64 va, const Translation&) {
  auto it = spaces_.find(root.pml4);
  if (it != spaces_.end()) it->second.mirror.Invalidate(va);
}

void NativeUserMode::OnProtect(PageTableRoot root, u64 va, const Translation&,
                               const Translation& now) {
  auto it = spaces_.find(root.pml4);
  if (it == spaces_.end()) return;
  int prot = ProtOfPte(now.flags);
  if (prot == 0) {
    it->second.mirror.Invalidate(va);
  } else {
    it->second.mirror.Reprotect(va, prot);
  }
}

void NativeUserMode::OnDestroy(PageTableRoot root) {
  auto it = spaces_.find(root.pml4);
  if (it == spaces_.end()) return;
  Space& s = it->second;
  if (s.stub != nullptr && fpu_owner_ == s.stub.get()) {
    // The live FPU state stays live: it moves from the stub's registers to the buffer.
    if (s.stub->GetFpu(fpu_buffer_)) fpu_dirty_ = true;
    fpu_owner_ = nullptr;
  }
  RetireStub(std::move(s.stub));
  spaces_.erase(it);
}

// ---- mirroring ----

bool NativeUserMode::RunOps(Space& s, const std::vector<MirrorOp>& ops, std::vector<bool>* ok) {
  ok->assign(ops.size(), false);
  Stub& stub = *s.stub;
  for (size_t first = 0; first < ops.size(); first += kMaxBatch) {
    size_t n = std::min(kMaxBatch, ops.size() - first);
    StubCommand* c = stub.commands();
    for (size_t i = 0; i < n; ++i) {
      const MirrorOp& op = ops[first + i];
      switch (op.kind) {
        case MirrorOp::Kind::kMap:
          c[i] = {SYS_mmap,
                  {op.va, op.len, static_cast<uint64_t>(op.prot), MAP_SHARED | MAP_FIXED,
                   kStubArenaFd, op.phys},
                  0};
          break;
        case MirrorOp::Kind::kUnmap:
          c[i] = {SYS_munmap, {op.va, op.len}, 0};
          break;
        case MirrorOp::Kind::kProtect:
          c[i] = {SYS_mprotect, {op.va, op.len, static_cast<uint64_t>(op.prot)}, 0};
          break;
      }
    }
    if (!stub.RunBatch(n)) return false;
    for (size_t i = 0; i < n; ++i) {
      const MirrorOp& op = ops[first + i];
      int64_t want = op.kind == MirrorOp::Kind::kMap ? static_cast<int64_t>(op.va) : 0;
      (*ok)[first + i] = c[i].result == want;
    }
  }
  return true;
}

void NativeUserMode::EvictAll(Space& s) {
  StubCommand* c = s.stub->commands();
  const uint64_t base = s.stub->base();
  c[0] = {SYS_munmap, {0, base}, 0};
  c[1] = {SYS_munmap, {base + kControlSize, kHostTaskSize - base - kControlSize}, 0};
  s.stub->RunBatch(2);
  s.mirror.Forget();
  ++stats_.evictions;
}

bool NativeUserMode::EnsureControlArea(PageTableRoot root, Space& s) {
  auto in_use = [&](uint64_t base) {
    return Mmu::Query(root, base).ok() || Mmu::Query(root, base + kPageSize).ok() ||
           s.mirror.Find(base) != nullptr || s.mirror.Find(base + kPageSize) != nullptr;
  };
  const uint64_t base = s.stub->base();
  if (!Mmu::Query(root, base).ok() && !Mmu::Query(root, base + kPageSize).ok()) return true;
  // A user mapping covers the control area: move it to the first free place below, 16 MiB
  // at a time (deterministic, so runs stay alike).
  for (uint64_t step = 1; step < 4096; ++step) {
    uint64_t candidate = kDefaultControlBase - step * (16ull << 20);
    if (candidate == base || in_use(candidate)) continue;
    if (!s.stub->Relocate(candidate)) return false;
    ++stats_.relocations;
    return true;
  }
  return false;
}

bool NativeUserMode::Prepare(PageTableRoot root, Space& s) {
  std::vector<MirrorOp> ops = s.mirror.TakePending();
  const uint64_t base = s.stub->base();
  const bool collides = Mmu::Query(root, base).ok() || Mmu::Query(root, base + kPageSize).ok();
  if (collides) {
    std::vector<bool> ok;
    if (!ops.empty() && !RunOps(s, ops, &ok)) return false;
    ops.clear();
    if (!EnsureControlArea(root, s)) return false;
  }
  // The pages whose faults the kernel has just resolved are mirrored now, in the same batch,
  // instead of faulting once more to be filled.
  std::vector<MirrorOp> fills;
  for (uint64_t page : s.prefill) {
    if (s.mirror.Find(page) != nullptr || InControlArea(page, s.stub->base())) continue;
    auto t = Mmu::Query(root, page);
    if (!t.ok()) continue;
    int prot = ProtOfPte(t.value().flags);
    if (prot != 0) fills.push_back({MirrorOp::Kind::kMap, page, kPageSize, prot, t.value().phys});
  }
  s.prefill.clear();
  if (s.mirror.size() + fills.size() > options_.max_mirrored_pages) {
    EvictAll(s);
    ops.clear();
  }
  const size_t first_fill = ops.size();
  for (const MirrorOp& f : Mirror::PlanMaps(std::move(fills))) ops.push_back(f);
  if (ops.empty()) return true;
  std::vector<bool> ok;
  if (!RunOps(s, ops, &ok)) return false;
  ++stats_.flushes;
  for (size_t i = 0; i < ops.size(); ++i) {
    if (i < first_fill) {
      // A shootdown the host refused leaves a stale mirror: drop them all rather than risk it.
      if (!ok[i]) {
        EvictAll(s);
        return true;
      }
      continue;
    }
    if (!ok[i]) continue;  // the fault will come back and be filled then
    for (uint64_t off = 0; off < ops[i].len; off += kPageSize) {
      s.mirror.Filled(ops[i].va + off, ops[i].phys + off, ops[i].prot);
      ++stats_.prefilled_pages;
    }
  }
  return true;
}

bool NativeUserMode::Fill(PageTableRoot root, Space& s, uint64_t page) {
  if (s.mirror.size() + options_.fault_around_pages > options_.max_mirrored_pages) EvictAll(s);
  const uint64_t span = std::max<uint64_t>(options_.fault_around_pages, 1) * kPageSize;
  const uint64_t lo = page - page % span;
  std::vector<MirrorOp> fills;
  FillCollector collector{&s.mirror, s.stub->base(), &fills};
  if (!Mmu::ForEach(root, lo, span, &CollectFill, &collector).ok()) {
    fills.clear();
    auto t = Mmu::Query(root, page);
    if (t.ok()) CollectFill(&collector, page, t.value());
  }
  std::vector<MirrorOp> ops = Mirror::PlanMaps(std::move(fills));
  std::vector<bool> ok;
  if (!RunOps(s, ops, &ok)) return false;
  ++stats_.fills;
  bool got_page = false;
  for (size_t i = 0; i < ops.size(); ++i) {
    if (!ok[i]) continue;
    for (uint64_t off = 0; off < ops[i].len; off += kPageSize) {
      s.mirror.Filled(ops[i].va + off, ops[i].phys + off, ops[i].prot);
      ++stats_.filled_pages;
      got_page |= ops[i].va + off == page;
    }
  }
  if (!got_page) {
    // The host would not map it (out of mappings: vm.max_map_count). Drop every mirror and
    // map this page alone; if even that fails the stub is unusable.
    EvictAll(s);
    auto t = Mmu::Query(root, page);
    if (!t.ok()) return false;
    std::vector<MirrorOp> one{
        {MirrorOp::Kind::kMap, page, kPageSize, ProtOfPte(t.value().flags), t.value().phys}};
    if (!RunOps(s, one, &ok) || !ok[0]) return false;
    s.mirror.Filled(page, t.value().phys, one[0].prot);
  }
  return true;
}

// ---- the FPU ----

bool NativeUserMode::LoadFpu(Stub& stub) {
  if (fpu_dirty_) {
    if (!stub.SetFpu(fpu_buffer_)) return false;
    fpu_dirty_ = false;
  } else if (fpu_owner_ != nullptr && fpu_owner_ != &stub) {
    alignas(16) uint8_t moving[512];
    if (fpu_owner_->GetFpu(moving) && !stub.SetFpu(moving)) return false;
  }
  fpu_owner_ = &stub;
  return true;
}

void NativeUserMode::SaveFpu(UserContext& ctx) {
  if (fpu_dirty_) {
    std::memcpy(ctx.fpu.bytes, fpu_buffer_, sizeof(fpu_buffer_));
  } else if (fpu_owner_ != nullptr) {
    fpu_owner_->GetFpu(ctx.fpu.bytes);
  }
}

void NativeUserMode::RestoreFpu(UserContext& ctx) {
  std::memcpy(fpu_buffer_, ctx.fpu.bytes, sizeof(fpu_buffer_));
  fpu_dirty_ = true;
}

// ---- traps ----

Trap NativeUserMode::Finish(Trap trap) {
  AdvanceClock(options_.ns_per_trap);
  return trap;
}

bool NativeUserMode::Emulate(PageTableRoot root, UserContext& ctx) {
  uint8_t bytes[3] = {};
  size_t n = 3;
  while (n >= 2 && !SoftMmu::Load(root, ctx.regs.rip, bytes, n, hal::hostsim::Access::kExecute,
                                  Privilege::kUser)
                        .ok()) {
    --n;
  }
  size_t length = 0;
  Emulated what = DecodeEmulated(bytes, n < 2 ? 0 : n, &length);
  UserRegs& r = ctx.regs;
  switch (what) {
    case Emulated::kNone:
      return false;
    case Emulated::kRdtsc:
    case Emulated::kRdtscp: {
      // Each read is a trap boundary: the clock moves, so a loop waiting on the TSC ends.
      AdvanceClock(options_.ns_per_trap);
      unsigned __int128 tsc =
          static_cast<unsigned __int128>(Clock::MonotonicNs()) * options_.tsc_hz / 1'000'000'000u;
      r.rax = static_cast<uint64_t>(tsc) & 0xffff'ffffu;
      r.rdx = static_cast<uint64_t>(tsc >> 32) & 0xffff'ffffu;
      if (what == Emulated::kRdtscp) r.rcx = 0;  // IA32_TSC_AUX: CPU 0
      break;
    }
    case Emulated::kCpuid: {
      unsigned a = 0, b = 0, c = 0, d = 0;
      __cpuid_count(static_cast<unsigned>(r.rax), static_cast<unsigned>(r.rcx), a, b, c, d);
      // The initial APIC ID names the host CPU this happened to run on [intel-sdm 2 CPUID].
      if (r.rax == 1) b &= 0x00ff'ffffu;
      if (r.rax == 0xb || r.rax == 0x1f) d = 0;
      r.rax = a;
      r.rbx = b;
      r.rcx = c;
      r.rdx = d;
      break;
    }
  }
  r.rip += length;
  ++stats_.emulated;
  return true;
}

// Returns true with `trap` set when the kernel must see the fault; false when it was a fill.
bool NativeUserMode::HandleSegv(PageTableRoot root, Space& s, UserContext& ctx,
                                const siginfo_t& info, Trap* trap) {
  const uint64_t addr = reinterpret_cast<uint64_t>(info.si_addr);
  const uint64_t page = addr & ~(kPageSize - 1);
  FaultFacts f;
  f.addr = addr;
  f.rip = ctx.regs.rip;
  f.user_half = addr < kUserEnd;
  if (const Mirror::Page* m = s.mirror.Find(page)) {
    f.mirrored = true;
    f.mirror_prot = m->prot;
  }
  const Mirror::Page* code = s.mirror.Find(f.rip & ~(kPageSize - 1));
  f.rip_executable = code != nullptr && (code->prot & PROT_EXEC) != 0;
  if (f.user_half) {
    auto t = Mmu::Query(root, page);
    int prot = t.ok() ? ProtOfPte(t.value().flags) : 0;
    f.pte_present = prot != 0;
    f.pte_read = (prot & PROT_READ) != 0;
    f.pte_write = (prot & PROT_WRITE) != 0;
    f.pte_exec = (prot & PROT_EXEC) != 0;
  }
  FaultDecision d = ClassifyPageFault(f);
  if (d.kind == FaultDecision::Kind::kFill && !InControlArea(page, s.stub->base())) {
    // A fill that does not help (the same access faulting again and again) would loop
    // forever; after a few, let the kernel see the fault.
    if (page == last_fill_page_ && f.rip == last_fill_rip_) {
      ++repeated_fills_;
    } else {
      last_fill_page_ = page;
      last_fill_rip_ = f.rip;
      repeated_fills_ = 0;
    }
    if (repeated_fills_ < 4) {
      if (s.mirror.Find(page) != nullptr) s.mirror.Forget(page);
      return !Fill(root, s, page) ? (*trap = MachineCheck(), true) : false;
    }
    std::fprintf(stderr, "hostsim native: fill of %#lx at rip %#lx does not stick\n",
                 static_cast<unsigned long>(page), static_cast<unsigned long>(f.rip));
    d.error_code = pf::kUser | (f.pte_present ? pf::kPresent : 0);
  }
  *trap = Trap{TrapKind::kPageFault, vec::kPageFault, d.error_code, addr};
  if (f.user_half) s.prefill.push_back(page);
  return true;
}

Trap NativeUserMode::Run(UserContext& ctx) {
  const PageTableRoot root = Mmu::Active();
  if (!root.valid()) {
    std::fprintf(stderr, "hostsim native: EnterUser with no active address space\n");
    std::abort();
  }
  Space& s = *SpaceFor(root);
  for (;;) {
    if (s.stub == nullptr) {
      s.stub = TakeStub();
      if (s.stub == nullptr) {
        std::fprintf(stderr, "hostsim native: %s\n", last_error_.c_str());
        return Finish(MachineCheck());
      }
    }
    Stub& stub = *s.stub;
    if (!Prepare(root, s) || !LoadFpu(stub)) {
      ++stats_.stub_deaths;
      LoseStub(s);
      return Finish(MachineCheck());
    }
    user_regs_struct regs;
    if (!ToHost(ctx.regs, &regs)) return Finish(GeneralProtection());
    StubStop stop;
    watchdog_.Enter(stub.pid(), stub.pidfd());
    const bool accepted = stub.Resume(regs, &stop);
    watchdog_.Leave();
    if (!accepted) return Finish(GeneralProtection());  // registers the host refuses
    user_regs_struct out;
    if (stop.kind == StubStop::Kind::kGone || !stub.GetRegs(&out)) {
      // Killed from outside, or the host killed it: as a machine check would, this ends the
      // process (the kernel sends a fatal signal); the address space gets a new stub.
      std::fprintf(stderr, "hostsim native: stub %d died (wait status %#x)\n", stub.pid(),
                   stop.status);
      ++stats_.stub_deaths;
      LoseStub(s);
      return Finish(MachineCheck());
    }
    FromHost(out, &ctx.regs);
    switch (stop.kind) {
      case StubStop::Kind::kSyscall:
        // The host left -ENOSYS in rax; the number is in orig_rax.
        ctx.regs.rax = ctx.regs.orig_rax;
        ++stats_.syscalls;
        return Finish(Trap{TrapKind::kSyscall});
      case StubStop::Kind::kOther:
        continue;  // a group stop or an event: nothing for the kernel
      case StubStop::Kind::kGone:
      case StubStop::Kind::kSignal:
        break;
    }
    const int sig = stop.signal;
    if (sig == kPreemptSignal && stop.info.si_code == SI_USER) {
      if (!watchdog_.Genuine()) {
        ++stats_.spurious_signals;  // meant for an earlier stay in user mode
        continue;
      }
      // A timer interrupt that does not move the virtual clock: the scheduler counts a tick
      // of the task's time slice, nothing else changes.
      ++stats_.interrupts;
      IrqState irq = Interrupts::SaveAndDisable();
      hooks::OnTimerTick();
      Interrupts::Restore(irq);
      return Trap{TrapKind::kInterrupt};
    }
    Trap trap{TrapKind::kFault};
    if (sig == SIGSEGV && stop.info.si_code != SI_KERNEL) {
      if (!HandleSegv(root, s, ctx, stop.info, &trap)) continue;  // filled
      if (trap.kind == TrapKind::kPageFault) ++stats_.page_faults;
      return Finish(trap);
    }
    if (sig == SIGSEGV && Emulate(root, ctx)) continue;
    bool x87_error = false;
    if (sig == SIGFPE) {
      alignas(16) uint8_t fx[512];
      // FSW is at offset 2 of the FXSAVE image; bit 7 is its error summary [intel-sdm 1 §8.1.3].
      x87_error = stub.GetFpu(fx) && (fx[2] & 0x80) != 0;
    }
    if (FaultTrap(stop.info, x87_error, &trap)) {
      ++stats_.faults;
      return Finish(trap);
    }
    ++stats_.spurious_signals;  // sent by someone else: dropped, as a CPU has no such thing
  }
}

}  // namespace hal::hostsim::native
