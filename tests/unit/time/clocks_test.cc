#include "kernel/time/clocks.h"

#include <gtest/gtest.h>

#include <hal/interrupts.h>

#include "kernel/proc/process.h"
#include "kernel/proc/scheduler.h"
#include "kernel/proc/wait_queue.h"
#include "kernel/signal/send.h"
#include "kernel/syscalls/time_ext.h"

namespace kernel::time {
namespace {

class ClocksTest : public testing::Test {
 protected:
  void SetUp() override {
    task_ = proc::Task::AdoptCurrentContext("clocks").value();
    proc::sched::Init(*task_);
    hal::Interrupts::Enable();
    hal::Interrupts::StartTick(proc::sched::kTickHz);  // timers fire from the tick
    process_ = proc::Process::Create(*task_, nullptr).value();
    task_->signals().handlers = signal::Handlers::Create().value();
    task_->signals().handlers->Set(signal::kSigAlrm,
                                   signal::KSigaction{0x401000, signal::kSaRestorer, 0, 0});
  }
  void TearDown() override {
    ReleaseProcessTimers(*process_);
    process_->signals().shared.Clear();
    signal::RecalcInterrupt(*task_);
  }
  proc::Task* task_ = nullptr;
  proc::Process* process_ = nullptr;
};

TEST_F(ClocksTest, RealtimeCanBeSetAndMonotonicIsUntouched) {
  const u64 mono = MonotonicNs();
  SetRealtimeNs(1234 * kNsPerSec);
  EXPECT_GE(RealtimeNs(), 1234 * kNsPerSec);
  EXPECT_LT(RealtimeNs(), 1235 * kNsPerSec);
  EXPECT_GE(MonotonicNs(), mono);
  EXPECT_EQ(ClockNow(*task_, kClockRealtime).value() / kNsPerSec, 1234u);
  EXPECT_EQ(ClockNow(*task_, 99).error(), Errno::kEINVAL);
  EXPECT_EQ(ClockResolution(*task_, kClockMonotonicCoarse).value(), 1'000'000u);
  EXPECT_EQ(ClockResolution(*task_, kClockMonotonic).value(), 1u);
}

TEST_F(ClocksTest, CpuTimeSplitsUserFromSystem) {
  task_->user_ns_ = 5;
  task_->on_cpu_ns_ = 20;
  task_->switched_in_ns_ = MonotonicNs();
  CpuTimes c = TaskCpuTimes(*task_);
  EXPECT_EQ(c.user_ns, 5u);
  EXPECT_GE(c.system_ns, 15u);
  EXPECT_GE(ProcessCpuTimes(*process_).total(), 20u);
  // Another thread's clock through the ~pid << 3 | 6 encoding.
  const int thread_clock = static_cast<int>((~static_cast<u32>(task_->tid()) << 3) | 6);
  EXPECT_GE(ClockNow(*task_, thread_clock).value(), 20u);
  EXPECT_EQ(ClockNow(*task_, static_cast<int>((~u32{99999} << 3) | 6)).error(), Errno::kEINVAL);
}

TEST_F(ClocksTest, AlarmRaisesSigalrmAndReportsWhatWasLeft) {
  EXPECT_EQ(syscalls::sys_alarm(*task_, 5).value(), 0u);
  EXPECT_EQ(syscalls::sys_alarm(*task_, 1).value(), 5u) << "rounded remaining seconds";
  // Sleep past the alarm: the signal ends the sleep early with ERESTARTSYS.
  const u64 start = MonotonicNs();
  Result<void> r = proc::SleepUntil(start + 10 * kNsPerSec);
  ASSERT_TRUE(r.is_error());
  EXPECT_EQ(r.error(), Errno::kERESTARTSYS);
  EXPECT_GE(MonotonicNs() - start, 1 * kNsPerSec);
  EXPECT_LT(MonotonicNs() - start, 2 * kNsPerSec);
  EXPECT_TRUE(process_->signals().shared.Has(signal::kSigAlrm));
  EXPECT_EQ(syscalls::sys_alarm(*task_, 0).value(), 0u) << "it fired: nothing left";
}

TEST_F(ClocksTest, CpuItimersFireOnProcessTime) {
  ProcessTimers& t = process_->timers();
  task_->user_ns_ = 0;
  t.virt_expiry_ns = 100;
  t.virt_interval_ns = 50;
  task_->signals().handlers->Set(signal::kSigVtalrm,
                                 signal::KSigaction{0x401000, signal::kSaRestorer, 0, 0});
  CheckCpuTimers(*task_);
  EXPECT_FALSE(process_->signals().shared.Has(signal::kSigVtalrm));
  task_->user_ns_ = 120;
  task_->on_cpu_ns_ = 1000;
  CheckCpuTimers(*task_);
  EXPECT_TRUE(process_->signals().shared.Has(signal::kSigVtalrm));
  EXPECT_EQ(t.virt_expiry_ns, 150u) << "periodic: the next expiry is one interval later";
}

}  // namespace
}  // namespace kernel::time
