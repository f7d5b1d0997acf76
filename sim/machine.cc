#include "sim/machine.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <hal/clock.h>
#include <hal/interrupts.h>
#include <hal/mmu.h>

#include "hal/hostsim/soft_mmu.h"
#include "kernel/mm/phys_init.h"
#include "kernel/proc/exec.h"
#include "kernel/proc/exit.h"
#include "kernel/proc/pid_table.h"
#include "kernel/proc/process.h"
#include "kernel/proc/scheduler.h"
#include "kernel/proc/spawn.h"
#include "kernel/time/timer.h"

namespace sim {

using kernel::proc::Process;
using kernel::proc::Task;
using kernel::proc::TaskState;
namespace sched = kernel::proc::sched;

Machine* Machine::current_ = nullptr;

namespace {

// The test thread itself plays the driver: a kernel task adopted once, reused by every
// Machine, so the scheduler can switch away from it and back.
Task* Driver() {
  static Task* driver = Task::AdoptCurrentContext("sim-driver").value();
  return driver;
}

constexpr int kMaxFaultsPerAction = 16;
constexpr uint64_t kTickNs = 1'000'000'000ull / sched::kTickHz;

}  // namespace

struct Machine::ThreadState {
  std::deque<Action> queue;
  bool in_flight = false;  // a system call trap was handed to the kernel
  int faults = 0;
  uint64_t pending = 0;  // the id Wait() collects
  kernel::proc::WaitQueue wait;
};

void BootHostMachine(uint64_t memory_bytes) {
  hal::hostsim::MachineConfig config;
  config.memory_bytes = memory_bytes;
  config.console_output = [](unsigned, std::string_view bytes) {
    (void)!::write(STDERR_FILENO, bytes.data(), bytes.size());
  };
  config.on_exit = [](int status) {
    Machine* m = Machine::current();
    if (m == nullptr) {
      std::fprintf(stderr, "sim: the kernel powered off (status %d) outside a Machine\n", status);
      std::_Exit(status);
    }
    m->OnPowerOff(status);
  };
  hal::hostsim::ConfigureMachine(std::move(config));
  kernel::mm::InitPhysicalMemory();
  // A first machine takes the kernel's one-time allocations (the driver task, the pid and
  // futex tables' storage), so that tests comparing page counts see only their own.
  Machine warm_up;
  Pid init = warm_up.Spawn("warm-up");
  warm_up.Syscall(init, 9, 0, 4096, 3, 0x22, static_cast<uint64_t>(-1), 0);
  warm_up.Syscall(init, 57);
}

Machine::Machine(MachineOptions options) : options_(options) {
  if (current_ != nullptr) {
    std::fprintf(stderr, "sim: only one Machine at a time\n");
    std::abort();
  }
  current_ = this;
  if (kernel::proc::TaskCount() != 0) {
    std::fprintf(stderr, "sim: kernel tasks left over from an earlier machine\n");
    std::abort();
  }
  sched::Init(*Driver());
  kernel::proc::SetExecOpener(&files_);
  hal::hostsim::SetUserMode(this);
  hal::hostsim::SetIdleHook(&Machine::IdleHook, this);
  hal::Interrupts::StartTick(sched::kTickHz);
  hal::Interrupts::Enable();
}

Machine::~Machine() {
  // Kill whatever is still alive and let it die; PID 1's death powers off, which is fine.
  for (int round = 0; round < 100; ++round) {
    bool any = false;
    kernel::proc::ForEachTask(
        [](Task& t, void* ctx) {
          Process* p = t.process();
          if (p == nullptr || p->leader() != &t || p->exited()) return;
          *static_cast<bool*>(ctx) = true;
          kernel::proc::KillProcess(*p, kernel::proc::SignaledStatus(9, false));
        },
        &any);
    if (!any) break;
    RunUntilIdle();
  }
  if (!kernel::proc::DestroyAllProcessesForTesting()) {
    std::fprintf(stderr, "sim: tasks survived the machine's teardown\n");
    std::abort();
  }
  for (auto& [tid, state] : threads_) delete state;
  hal::hostsim::SetIdleHook(nullptr, nullptr);
  hal::hostsim::SetUserMode(nullptr);
  kernel::proc::SetExecOpener(nullptr);
  hal::Mmu::Activate(hal::PageTableRoot{});
  current_ = nullptr;
}

void Machine::OnPowerOff(int status) {
  // Only a dead PID 1 stops a machine; anything else (a kernel panic) ends the test program,
  // which would otherwise hang with the driver gone.
  kernel::proc::Process* init = kernel::proc::FindProcess(1);
  if (init == nullptr || !init->exited()) {
    std::fprintf(stderr, "sim: the kernel powered off with status %d outside init's exit\n",
                 status);
    std::abort();
  }
  power_off_status_ = status;
  driver_wait_.WakeAll();
  // Power::Exit may not return into the kernel; the dying init task switches away instead.
  sched::ExitCurrent();
}

void Machine::IdleHook(void* self) {
  auto* m = static_cast<Machine*>(self);
  uint64_t deadline = kernel::time::NextDeadline();
  uint64_t now = hal::Clock::MonotonicNs();
  if (m->options_.advance_time_when_idle && deadline != 0) {
    // Sleeps and timeouts end as if the time had passed: jump to the tick after the deadline.
    uint64_t target = deadline > now ? deadline : now;
    target = (target + kTickNs - 1) / kTickNs * kTickNs;
    hal::hostsim::AdvanceClock(target > now ? target - now : kTickNs);
    return;
  }
  m->quiescent_ = true;
  sched::Wake(*Driver());
}

Machine::ThreadState& Machine::StateOf(Pid tid) {
  ThreadState*& s = threads_[tid];
  if (s == nullptr) s = new ThreadState;
  return *s;
}

void Machine::Complete(ThreadState& s, Outcome outcome) {
  Action& a = s.queue.front();
  outcome.faults = s.faults;
  results_[a.id] = std::move(outcome);
  s.queue.pop_front();
  s.faults = 0;
  driver_wait_.WakeAll();
}

hal::Trap Machine::Run(hal::UserContext& ctx) {
  Task* self = sched::Current();
  ThreadState& s = StateOf(self->tid());
  hal::hostsim::AdvanceClock(options_.ns_per_trap);
  if (s.in_flight) {
    s.in_flight = false;
    Outcome o;
    o.value = static_cast<int64_t>(ctx.regs.rax);
    Complete(s, std::move(o));
  }
  for (;;) {
    if (self->killed()) return hal::Trap{hal::TrapKind::kInterrupt};
    if (s.queue.empty()) {
      (void)s.wait.WaitInterruptible([&] { return !s.queue.empty() || self->killed(); });
      continue;
    }
    Action& a = s.queue.front();
    hal::hostsim::MmuResult r;
    switch (a.kind) {
      case Action::Kind::kSyscall: {
        hal::UserRegs& regs = ctx.regs;
        regs.rax = regs.orig_rax = a.nr;
        regs.rdi = a.args[0];
        regs.rsi = a.args[1];
        regs.rdx = a.args[2];
        regs.r10 = a.args[3];
        regs.r8 = a.args[4];
        regs.r9 = a.args[5];
        s.in_flight = true;
        return hal::Trap{hal::TrapKind::kSyscall};
      }
      case Action::Kind::kCall: {
        Outcome o;
        o.value = a.fn(*self);
        Complete(s, std::move(o));
        continue;
      }
      case Action::Kind::kLoad:
      case Action::Kind::kFetch:
        a.bytes.resize(a.n);
        r = hal::hostsim::SoftMmu::Load(hal::Mmu::Active(), a.addr, a.bytes.data(), a.n,
                                        a.kind == Action::Kind::kFetch
                                            ? hal::hostsim::Access::kExecute
                                            : hal::hostsim::Access::kRead,
                                        hal::hostsim::Privilege::kUser);
        break;
      case Action::Kind::kStore:
        r = hal::hostsim::SoftMmu::Store(hal::Mmu::Active(), a.addr, a.bytes.data(), a.bytes.size(),
                                         hal::hostsim::Privilege::kUser);
        break;
    }
    if (r.ok()) {
      Outcome o;
      if (a.kind != Action::Kind::kStore) o.bytes = std::move(a.bytes);
      Complete(s, std::move(o));
      continue;
    }
    // A fault: the kernel resolves it (and the access is retried on the next Run) or kills
    // the process.
    if (++s.faults > kMaxFaultsPerAction) {
      std::fprintf(stderr, "sim: tid %d: the access at %#llx faults for ever (kernel bug)\n",
                   self->tid(), static_cast<unsigned long long>(a.addr));
      std::abort();
    }
    return r.AsTrap();
  }
}

Outcome Machine::Submit(Pid tid, Action action) {
  if (!Alive(tid)) {
    Outcome o;
    o.state = Outcome::State::kDied;
    return o;
  }
  ThreadState& s = StateOf(tid);
  action.id = next_action_++;
  uint64_t id = action.id;
  s.queue.push_back(std::move(action));
  s.wait.WakeAll();
  return Collect(tid, id);
}

Outcome Machine::Collect(Pid tid, uint64_t id) {
  DriveUntil([&] { return results_.count(id) != 0 || !Alive(tid); });
  auto it = results_.find(id);
  if (it != results_.end()) {
    Outcome o = std::move(it->second);
    results_.erase(it);
    if (threads_.count(tid) != 0 && threads_[tid]->pending == id) threads_[tid]->pending = 0;
    return o;
  }
  Outcome o;
  if (Alive(tid)) {
    o.state = Outcome::State::kPending;
    StateOf(tid).pending = id;
  } else {
    o.state = Outcome::State::kDied;
  }
  return o;
}

Outcome Machine::Wait(Pid tid) {
  auto it = threads_.find(tid);
  if (it == threads_.end() || it->second->pending == 0) {
    std::fprintf(stderr, "sim: Wait(%d) with no pending action\n", tid);
    std::abort();
  }
  return Collect(tid, it->second->pending);
}

void Machine::DriveUntil(const std::function<bool()>& done) {
  quiescent_ = false;
  driver_wait_.Wait([&] { return done() || quiescent_; });
}

void Machine::RunUntilIdle() {
  DriveUntil([] { return false; });
}

void Machine::RunUntilPowerOff() {
  DriveUntil([this] { return power_off_status_.has_value(); });
}

Pid Machine::Spawn(const char* name, Pid parent) {
  Process* p = parent != 0 ? ProcessOf(parent) : nullptr;
  auto task = kernel::proc::SpawnUserProcess(name, p);
  if (task.is_error()) {
    std::fprintf(stderr, "sim: cannot spawn %s: errno %d\n", name, kernel::ToInt(task.error()));
    std::abort();
  }
  return task.value()->tid();
}

Outcome Machine::Syscall(Pid tid, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                         uint64_t a4, uint64_t a5) {
  Action a{Action::Kind::kSyscall};
  a.nr = nr;
  uint64_t args[6] = {a0, a1, a2, a3, a4, a5};
  std::memcpy(a.args, args, sizeof(args));
  return Submit(tid, std::move(a));
}

Outcome Machine::Load(Pid tid, uint64_t addr, size_t n) {
  Action a{Action::Kind::kLoad};
  a.addr = addr;
  a.n = n;
  return Submit(tid, std::move(a));
}

Outcome Machine::Fetch(Pid tid, uint64_t addr, size_t n) {
  Action a{Action::Kind::kFetch};
  a.addr = addr;
  a.n = n;
  return Submit(tid, std::move(a));
}

Outcome Machine::Store(Pid tid, uint64_t addr, std::string_view bytes) {
  return Store(tid, addr, bytes.data(), bytes.size());
}

Outcome Machine::Store(Pid tid, uint64_t addr, const void* data, size_t n) {
  Action a{Action::Kind::kStore};
  a.addr = addr;
  const auto* p = static_cast<const uint8_t*>(data);
  a.bytes.assign(p, p + n);
  return Submit(tid, std::move(a));
}

Outcome Machine::Call(Pid tid, std::function<int64_t(Task&)> fn) {
  Action a{Action::Kind::kCall};
  a.fn = std::move(fn);
  return Submit(tid, std::move(a));
}

int64_t Machine::Mmap(Pid tid, uint64_t len, int prot, int flags, uint64_t addr) {
  Outcome o = Syscall(tid, 9, addr, len, static_cast<uint64_t>(prot), static_cast<uint64_t>(flags),
                      static_cast<uint64_t>(-1), 0);
  return o.done() ? o.value : -1;
}

uint64_t Machine::PushString(Pid tid, std::string_view s) {
  std::string z(s);
  z.push_back('\0');
  int64_t a = Mmap(tid, z.size(), 3, 0x22);
  if (a < 0 || !Store(tid, static_cast<uint64_t>(a), z).done()) return 0;
  return static_cast<uint64_t>(a);
}

uint64_t Machine::PushStrings(Pid tid, const std::vector<std::string>& strings) {
  std::vector<uint64_t> pointers;
  pointers.reserve(strings.size() + 1);
  for (const std::string& s : strings) pointers.push_back(PushString(tid, s));
  pointers.push_back(0);
  int64_t a = Mmap(tid, pointers.size() * 8, 3, 0x22);
  if (a < 0 || !Store(tid, static_cast<uint64_t>(a), pointers.data(), pointers.size() * 8).done()) {
    return 0;
  }
  return static_cast<uint64_t>(a);
}

Outcome Machine::Execve(Pid tid, const std::string& path, const std::vector<std::string>& argv,
                        const std::vector<std::string>& envp) {
  uint64_t p = PushString(tid, path);
  uint64_t a = PushStrings(tid, argv);
  uint64_t e = PushStrings(tid, envp);
  return Syscall(tid, 59, p, a, e);
}

bool Machine::Alive(Pid tid) const {
  Task* t = kernel::proc::FindTask(tid);
  return t != nullptr && t->state() != TaskState::kDead;
}

Task* Machine::TaskOf(Pid tid) const { return kernel::proc::FindTask(tid); }

Process* Machine::ProcessOf(Pid pid) const { return kernel::proc::FindProcess(pid); }

std::optional<int> Machine::ExitStatus(Pid pid) const {
  Process* p = ProcessOf(pid);
  if (p == nullptr || !p->exited()) return std::nullopt;
  return p->wait_status();
}

size_t Machine::TaskCount() const { return kernel::proc::TaskCount(); }

}  // namespace sim
