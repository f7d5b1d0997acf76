#pragma once
// sim::Machine: hostsim's scripted mode. A test starts processes and drives each thread with
// Syscall, Load, Store and Call actions; every action runs in that thread's own kernel
// context, through the real trap loop, system calls, software MMU and page-fault paths (no
// host process plays user mode). Blocking system calls (wait4, futex, nanosleep) really
// block: the scheduler switches to another task, and the driver gets control back when the
// action finishes, when the thread dies, or when every task waits (the action is then
// kPending; Wait() collects it later). docs/processes.md has a walk-through.
//
//   sim::Machine m;
//   sim::Pid init = m.Spawn("init");
//   uint64_t a = m.Syscall(init, SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE,
//                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0).value;
//   m.Store(init, a, "hello");
//   sim::Pid child = m.Syscall(init, SYS_fork).value;
//   EXPECT_EQ(m.Load(child, a, 5).text(), "hello");
//
// Host code. One Machine at a time, on the thread that configured the hostsim machine
// (sim::BootHostMachine or the unit-test main).
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hal/hostsim/machine.h"
#include "kernel/proc/task.h"
#include "kernel/proc/wait_queue.h"
#include "sim/files.h"

namespace kernel::proc {
class Process;
}

namespace sim {

using Pid = kernel::proc::Pid;

/// What became of an action.
struct Outcome {
  enum class State {
    kDone,     ///< finished; `value` / `bytes` hold the result
    kPending,  ///< the thread is blocked in the kernel; Machine::Wait collects the result
    kDied,     ///< the thread exited (or was killed by a fault) before finishing it
  };
  State state = State::kDone;
  int64_t value = 0;           ///< a system call's raw return (-errno on failure), Call's value
  std::vector<uint8_t> bytes;  ///< what a Load read
  int faults = 0;              ///< page faults the action took (retried after each)

  bool done() const { return state == State::kDone; }
  bool pending() const { return state == State::kPending; }
  bool died() const { return state == State::kDied; }
  std::string text() const { return std::string(bytes.begin(), bytes.end()); }
};

struct MachineOptions {
  /// When every task waits and a timer is armed, jump the virtual clock to it (sleeps and
  /// timeouts finish) instead of handing control back to the driver.
  bool advance_time_when_idle = true;
  /// Virtual nanoseconds each trap costs.
  uint64_t ns_per_trap = 1000;
};

/// Configures the hostsim machine and its physical memory for a host program that uses sim
/// (test and benchmark mains), with PID 1's exit routed to the running Machine.
void BootHostMachine(uint64_t memory_bytes);

class Machine final : public hal::hostsim::UserMode {
 public:
  Machine() : Machine(MachineOptions{}) {}
  explicit Machine(MachineOptions options);
  ~Machine() override;
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  /// A new process with one thread and an empty address space. The first process of a
  /// machine is PID 1. Its parent is `parent` (0: none).
  Pid Spawn(const char* name = "sim", Pid parent = 0);

  // ---- actions ----
  Outcome Syscall(Pid tid, uint64_t nr, uint64_t a0 = 0, uint64_t a1 = 0, uint64_t a2 = 0,
                  uint64_t a3 = 0, uint64_t a4 = 0, uint64_t a5 = 0);
  Outcome Load(Pid tid, uint64_t addr, size_t n);
  Outcome Fetch(Pid tid, uint64_t addr, size_t n);  ///< an instruction fetch
  Outcome Store(Pid tid, uint64_t addr, std::string_view bytes);
  Outcome Store(Pid tid, uint64_t addr, const void* data, size_t n);
  /// Runs `fn` in the thread's kernel context, as if it were a system call of its own
  /// (execve from memory, kernel-side checks). Its return value is the Outcome's value.
  Outcome Call(Pid tid, std::function<int64_t(kernel::proc::Task&)> fn);
  /// Waits for the action `tid` left pending.
  Outcome Wait(Pid tid);
  /// Lets every task run until all of them wait for the driver.
  void RunUntilIdle();
  /// Lets every task run until PID 1 stops the machine (or, failing that, all of them wait
  /// for the driver); the native runner's main loop.
  void RunUntilPowerOff();

  // ---- files ----
  /// What execve finds by path (installed as the kernel's exec opener for this machine).
  Files& files() { return files_; }
  /// execve(path, argv, envp) through the real system call, with the strings copied into
  /// fresh memory of `tid` first. The Outcome's value is 0 on success, -errno otherwise.
  Outcome Execve(Pid tid, const std::string& path, const std::vector<std::string>& argv,
                 const std::vector<std::string>& envp = {});

  // ---- conveniences over Syscall ----
  /// mmap(addr, len, prot, flags, -1, 0); the address, or -errno.
  int64_t Mmap(Pid tid, uint64_t len, int prot, int flags, uint64_t addr = 0);
  /// Copies a string (NUL included) or an array of pointers into fresh memory of `tid`.
  uint64_t PushString(Pid tid, std::string_view s);
  uint64_t PushStrings(Pid tid, const std::vector<std::string>& strings);

  // ---- inspection ----
  bool Alive(Pid tid) const;
  kernel::proc::Task* TaskOf(Pid tid) const;
  kernel::proc::Process* ProcessOf(Pid pid) const;
  /// The wait status of an exited, unreaped process.
  std::optional<int> ExitStatus(Pid pid) const;
  /// The status PID 1 stopped the machine with, once it has.
  std::optional<int> power_off_status() const { return power_off_status_; }
  /// Tasks that exist (running, blocked, zombie).
  size_t TaskCount() const;

  // hal::hostsim::UserMode
  hal::Trap Run(hal::UserContext& ctx) override;

  /// The Machine running now, or null (for the power-off and idle hooks).
  static Machine* current() { return current_; }
  void OnPowerOff(int status);

 private:
  struct Action {
    enum class Kind { kSyscall, kLoad, kFetch, kStore, kCall } kind;
    uint64_t id = 0;
    uint64_t nr = 0;
    uint64_t args[6] = {};
    uint64_t addr = 0;
    std::vector<uint8_t> bytes;
    size_t n = 0;
    std::function<int64_t(kernel::proc::Task&)> fn;
  };
  struct ThreadState;

  Outcome Submit(Pid tid, Action action);
  Outcome Collect(Pid tid, uint64_t id);
  void DriveUntil(const std::function<bool()>& done);
  ThreadState& StateOf(Pid tid);
  void Complete(ThreadState& s, Outcome outcome);
  static void IdleHook(void* self);

  MachineOptions options_;
  Files files_;
  std::map<Pid, ThreadState*> threads_;
  std::map<uint64_t, Outcome> results_;
  uint64_t next_action_ = 1;
  bool quiescent_ = false;
  std::optional<int> power_off_status_;
  kernel::proc::WaitQueue driver_wait_;

  static Machine* current_;
};

}  // namespace sim
