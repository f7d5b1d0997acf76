#pragma once
// The preemption timer of native mode. User code runs in a stub until it traps; a program that
// computes without system calls would keep the simulator's one CPU forever, so a host thread
// watches each stay in user mode and, once it has lasted `quantum` of host time, sends the
// stub kPreemptSignal. The tracer sees the signal stop, drops the signal and reports a timer
// interrupt to the kernel.
//
// Determinism: a signal that arrives after the stay it was meant for (the stub had trapped
// meanwhile) is recognised by its age and dropped without an interrupt, so a program that
// makes system calls more often than every `quantum` never sees a preemption, and the virtual
// clock never moves on one. Host code.
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
  /// `quantum_ns` of host time in user mode before a preemption; 0 disables the thread.
  explicit Watchdog(uint64_t quantum_ns);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  /// The tracer is about to resume the stub whose pidfd is `pidfd` in user mode / has it
  /// stopped again. A pidfd, not a pid: a stub reaped meanwhile cannot have its pid reused
  /// by a stranger that would then get the signal.
  void Enter(int pidfd);
  void Leave();
  /// Whether the current (or just ended) stay has lasted a quantum: a preemption signal seen
  /// now is genuine.
  bool Overran() const;
  uint64_t preemptions_sent() const { return sent_.load(std::memory_order_relaxed); }

  static uint64_t NowNs();

 private:
  void Loop();

  const uint64_t quantum_ns_;
  std::atomic<int> pidfd_{-1};
  std::atomic<uint64_t> entered_ns_{0};
  std::atomic<uint64_t> stay_{0};  ///< counts stays; the thread signals each one at most once
  std::atomic<uint64_t> sent_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace hal::hostsim::native
