// See watchdog.h.
#include "hal/hostsim/native/watchdog.h"

#include <signal.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <chrono>

namespace hal::hostsim::native {

uint64_t Watchdog::NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ull + static_cast<uint64_t>(ts.tv_nsec);
}

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

void Watchdog::Enter(int pidfd) {
  if (quantum_ns_ == 0) return;
  entered_ns_.store(NowNs(), std::memory_order_relaxed);
  stay_.fetch_add(1, std::memory_order_relaxed);
  pidfd_.store(pidfd, std::memory_order_release);
}

void Watchdog::Leave() {
  if (quantum_ns_ == 0) return;
  pidfd_.store(-1, std::memory_order_release);
}

bool Watchdog::Overran() const {
  return quantum_ns_ != 0 &&
         NowNs() - entered_ns_.load(std::memory_order_relaxed) >= quantum_ns_;
}

void Watchdog::Loop() {
  uint64_t signalled_stay = 0;
  std::unique_lock<std::mutex> lock(mu_);
  const auto tick = std::chrono::nanoseconds(quantum_ns_ / 2 > 0 ? quantum_ns_ / 2 : 1);
  while (!stop_) {
    cv_.wait_for(lock, tick);
    if (stop_) break;
    int pidfd = pidfd_.load(std::memory_order_acquire);
    uint64_t stay = stay_.load(std::memory_order_relaxed);
    if (pidfd < 0 || stay == signalled_stay) continue;
    if (NowNs() - entered_ns_.load(std::memory_order_relaxed) < quantum_ns_) continue;
    signalled_stay = stay;
    sent_.fetch_add(1, std::memory_order_relaxed);
    syscall(SYS_pidfd_send_signal, pidfd, kPreemptSignal, nullptr, 0);
  }
}

}  // namespace hal::hostsim::native
