// The preemption timer: a task that computes without system calls is interrupted after a
// quantum of host time; one that makes system calls is never interrupted, so its traps (and
// the virtual clock) are the same from run to run.
#include <chrono>

#include "tests/sim_native/native_fixture.h"

USER_CODE(spin_forever, "1: jmp 1b\n");
USER_CODE(syscall_loop, "1: mov $39, %eax\n syscall\n jmp 1b\n");

namespace sim_native_test {
namespace {

class PreemptionTest : public NativeTest {
 protected:
  NativeOptions Options() override {
    NativeOptions o;
    o.preempt_ns = 20'000'000;  // 20 ms
    return o;
  }
};

TEST_F(PreemptionTest, SpinningTaskIsInterruptedWithoutMovingTheClock) {
  LoadCode(spin_forever_begin, spin_forever_end);
  const uint64_t clock_before = hal::Clock::MonotonicNs();
  auto start = std::chrono::steady_clock::now();
  hal::Trap t = Run();
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(t.kind, hal::TrapKind::kInterrupt);
  EXPECT_GE(elapsed, std::chrono::milliseconds(20));
  EXPECT_LT(elapsed, std::chrono::seconds(5));
  EXPECT_EQ(ctx_.regs.rip, kCode);  // still in the loop, resumable
  EXPECT_EQ(hal::Clock::MonotonicNs(), clock_before);
  // It resumes where it was and is interrupted again.
  EXPECT_EQ(Run().kind, hal::TrapKind::kInterrupt);
  EXPECT_EQ(mode_->stats().interrupts, 2u);
}

TEST_F(PreemptionTest, TaskThatMakesSystemCallsIsNeverInterrupted) {
  LoadCode(syscall_loop_begin, syscall_loop_end);
  const uint64_t clock_before = hal::Clock::MonotonicNs();
  auto start = std::chrono::steady_clock::now();
  int n = 0;
  // Well past several quanta of host time in total, but each stay in user mode is short.
  while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(150)) {
    ASSERT_EQ(Run().kind, hal::TrapKind::kSyscall);
    ++n;
  }
  EXPECT_EQ(mode_->stats().interrupts, 0u);
  EXPECT_EQ(mode_->stats().syscalls, static_cast<uint64_t>(n));
  EXPECT_EQ(hal::Clock::MonotonicNs() - clock_before, 1000ull * n);
}

}  // namespace
}  // namespace sim_native_test
