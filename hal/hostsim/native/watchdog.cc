// See watchdog.h.
#include "hal/hostsim/native/watchdog.h"

#include <signal.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <chrono>

namespace hal::hostsim::native {
namespace {

// The CPU time `pid` has used, or 0 when it cannot be read [man 3 clock_getcpuclockid].
uint64_t CpuTimeNs(pid_t pid) {
  clockid_t clock;
  timespec ts;
  if (clock_getcpuclockid(pid, &clock) != 0 || clock_gettime(clock, &ts) != 0) return 0;
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ull + static_cast<uint64_t>(ts.tv_nsec);
}

}  // namespace

Watchdog::Watchdog(uint64_t quantum_ns) : quantum_ns_(quantum_ns) {
  if (quantum_ns_ != 0) thread_ = std::thread([this] { Loop(); });
}

Watchdog::~Watchdog() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Watchdog::Enter(pid_t pid, int pidfd) {
  if (quantum_ns_ == 0) return;
  pid_.store(pid, std::memory_order_relaxed);
  pidfd_.store(pidfd, std::memory_order_relaxed);
  stay_.fetch_add(1, std::memory_order_release);
}

void Watchdog::Leave() {
  if (quantum_ns_ == 0) return;
  pidfd_.store(-1, std::memory_order_release);
}

bool Watchdog::Genuine() const {
  return quantum_ns_ != 0 &&
         signalled_stay_.load(std::memory_order_acquire) == stay_.load(std::memory_order_relaxed);
}

void Watchdog::Loop() {
  // The stay being watched and the stub's CPU time when the watch began.
  uint64_t watched = 0, cpu_at_start = 0;
  std::unique_lock<std::mutex> lock(mu_);
  const auto tick = std::chrono::nanoseconds(quantum_ns_ / 4 > 0 ? quantum_ns_ / 4 : 1);
  while (!stop_) {
    cv_.wait_for(lock, tick);
    if (stop_) break;
    const uint64_t stay = stay_.load(std::memory_order_acquire);
    const int pidfd = pidfd_.load(std::memory_order_acquire);
    if (pidfd < 0 || stay == signalled_stay_.load(std::memory_order_relaxed)) continue;
    const uint64_t cpu = CpuTimeNs(pid_.load(std::memory_order_relaxed));
    if (stay != watched) {
      watched = stay;
      cpu_at_start = cpu;
      continue;
    }
    if (cpu - cpu_at_start < quantum_ns_) continue;
    signalled_stay_.store(stay, std::memory_order_release);
    sent_.fetch_add(1, std::memory_order_relaxed);
    syscall(SYS_pidfd_send_signal, pidfd, kPreemptSignal, nullptr, 0);
  }
}

}  // namespace hal::hostsim::native
