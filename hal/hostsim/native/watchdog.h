#pragma once
// The preemption timer of native mode. User code runs in a stub until it traps; a program that
// computes without system calls would keep the simulator's one CPU forever, so a host thread
// watches each stay in user mode and, once the stub has used `quantum` of CPU time in it,
// sends the stub kPreemptSignal. The tracer sees the signal stop, drops the signal and reports
// a timer interrupt to the kernel.
//
// CPU time, not wall time: on a loaded host a stub may wait to be scheduled for longer than a
// quantum, and that must not turn a short stay into a preemption (which would make runs
// differ). A signal that arrives after the stay it was meant for (the stub had trapped
// meanwhile) is dropped without an interrupt, so a program that makes system calls more often
// than every quantum of its own CPU time never sees a preemption, and the virtual clock never
// moves on one. Host code.
#include <sys/types.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace hal::hostsim::native {

/// SIGVTALRM: nothing else sends it to a stub (stubs have no interval timers).
inline constexpr int kPreemptSignal = 26;

class Watchdog {
 public:
  /// `quantum_ns` of stub CPU time in one stay before a preemption; 0 disables the thread.
  explicit Watchdog(uint64_t quantum_ns);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  /// The tracer is about to resume the stub `pid` (whose pidfd is `pidfd`) in user mode / has
  /// it stopped again. The signal goes through the pidfd: a stub reaped meanwhile cannot have
  /// its pid reused by a stranger that would then get it.
  void Enter(pid_t pid, int pidfd);
  void Leave();
  /// Whether a preemption signal seen now was sent for the current (or just ended) stay.
  bool Genuine() const;
  uint64_t preemptions_sent() const { return sent_.load(std::memory_order_relaxed); }

 private:
  void Loop();

  const uint64_t quantum_ns_;
  std::atomic<pid_t> pid_{0};
  std::atomic<int> pidfd_{-1};
  std::atomic<uint64_t> stay_{0};            ///< counts stays
  std::atomic<uint64_t> signalled_stay_{0};  ///< the stay the last signal was sent for
  std::atomic<uint64_t> sent_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace hal::hostsim::native
