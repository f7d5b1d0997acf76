// timerfd: arming, reading expiration counts, periodic catch-up, gettime, the realtime clock,
// TFD_TIMER_CANCEL_ON_SET, errors.
#include "kernel/time/timerfd.h"

#include <gtest/gtest.h>

#include <hal/interrupts.h>

#include "kernel/fs/poll_queue.h"
#include "kernel/proc/scheduler.h"
#include "kernel/proc/task.h"
#include "kernel/proc/wait_queue.h"
#include "kernel/time/clocks.h"
#include "kernel/time/timer.h"

namespace kernel::time {
namespace {

constexpr u64 kMs = 1'000'000;

class TimerFdTest : public testing::Test {
 protected:
  void SetUp() override {
    task_ = proc::Task::AdoptCurrentContext("timerfd").value();
    proc::sched::Init(*task_);
    hal::Interrupts::Enable();
    hal::Interrupts::StartTick(proc::sched::kTickHz);  // timers fire from the tick
  }
  static Result<u64> ReadCount(fs::File& f) {
    u64 count = 0, pos = 0;
    TRY(f.Read(fs::IoBuffer::Kernel(&count, sizeof(count)), pos));
    return count;
  }
  static Itimerspec Spec(u64 value_ns, u64 interval_ns) {
    return Itimerspec{ToTimespec(interval_ns), ToTimespec(value_ns)};
  }
  static void SleepNs(u64 ns) { (void)proc::SleepUntil(MonotonicNs() + ns); }
  proc::Task* task_ = nullptr;
};

TEST_F(TimerFdTest, OneShotExpiresOnceAndReadsItsCount) {
  lib::RefPtr<fs::File> f = CreateTimerFd(kClockMonotonic, kTfdNonBlock, false).value();
  EXPECT_EQ(f->kind(), fs::FileKind::kTimerFd);
  EXPECT_EQ(ReadCount(*f).error(), Errno::kEAGAIN) << "disarmed";
  EXPECT_EQ(f->Poll(), 0u);
  int notified = 0;
  fs::PollQueue::Entry entry;
  entry.callback = [](fs::PollQueue::Entry& e, u32) { ++*static_cast<int*>(e.data); };
  entry.data = &notified;
  f->poll_queue()->Add(entry);
  Itimerspec old = SetTimerFd(*f, 0, Spec(20 * kMs, 0)).value();
  EXPECT_EQ(ToNs(old.value), 0u);
  Itimerspec now = GetTimerFd(*f).value();
  EXPECT_GT(ToNs(now.value), 0u);
  EXPECT_LE(ToNs(now.value), 20 * kMs);
  SleepNs(30 * kMs);
  EXPECT_EQ(notified, 1) << "the expiry notified pollers";
  fs::PollQueue::Remove(entry);
  EXPECT_EQ(f->Poll(), fs::ev::kReadable);
  EXPECT_EQ(ReadCount(*f).value(), 1u);
  EXPECT_EQ(ReadCount(*f).error(), Errno::kEAGAIN) << "the count was consumed";
  now = GetTimerFd(*f).value();
  EXPECT_EQ(ToNs(now.value), 0u) << "a one-shot timer is disarmed after it fires";
  u32 small = 0;
  u64 pos = 0;
  EXPECT_EQ(f->Read(fs::IoBuffer::Kernel(&small, sizeof(small)), pos).error(), Errno::kEINVAL);
}

TEST_F(TimerFdTest, PeriodicCountsEveryExpiryIncludingMissedOnes) {
  lib::RefPtr<fs::File> f = CreateTimerFd(kClockBoottime, kTfdNonBlock, false).value();
  ASSERT_TRUE(SetTimerFd(*f, 0, Spec(10 * kMs, 10 * kMs)).ok());
  SleepNs(55 * kMs);
  const u64 n = ReadCount(*f).value();
  EXPECT_GE(n, 4u);
  EXPECT_LE(n, 6u);
  Itimerspec cur = GetTimerFd(*f).value();
  EXPECT_EQ(ToNs(cur.interval), 10 * kMs);
  EXPECT_GT(ToNs(cur.value), 0u);
  EXPECT_LE(ToNs(cur.value), 10 * kMs);
  // settime resets the count and returns the old setting.
  SleepNs(25 * kMs);
  Itimerspec old = SetTimerFd(*f, 0, Spec(0, 0)).value();
  EXPECT_EQ(ToNs(old.interval), 10 * kMs);
  EXPECT_EQ(ReadCount(*f).error(), Errno::kEAGAIN) << "disarming dropped the pending count";
}

TEST_F(TimerFdTest, BlockingReadSleepsUntilTheExpiry) {
  lib::RefPtr<fs::File> f = CreateTimerFd(kClockMonotonic, 0, false).value();
  const u64 start = MonotonicNs();
  ASSERT_TRUE(SetTimerFd(*f, 0, Spec(40 * kMs, 0)).ok());
  EXPECT_EQ(ReadCount(*f).value(), 1u);
  EXPECT_GE(MonotonicNs() - start, 40 * kMs);
}

TEST_F(TimerFdTest, AbsoluteRealtimeAndCancelOnSet) {
  lib::RefPtr<fs::File> f = CreateTimerFd(kClockRealtime, kTfdNonBlock, false).value();
  // An absolute time in the past fires at once.
  ASSERT_TRUE(SetTimerFd(*f, kTfdTimerAbstime, Spec(RealtimeNs() - kNsPerSec, 0)).ok());
  SleepNs(5 * kMs);
  EXPECT_EQ(ReadCount(*f).value(), 1u);
  // One second ahead on the wall clock.
  ASSERT_TRUE(SetTimerFd(*f, kTfdTimerAbstime, Spec(RealtimeNs() + kNsPerSec, 0)).ok());
  const u64 left = ToNs(GetTimerFd(*f).value().value);
  EXPECT_GT(left, 900 * kMs);
  EXPECT_LE(left, kNsPerSec);
  // With CANCEL_ON_SET, setting the clock makes the next read fail with ECANCELED, once.
  ASSERT_TRUE(SetTimerFd(*f, kTfdTimerAbstime | kTfdTimerCancelOnSet,
                         Spec(RealtimeNs() + 100 * kNsPerSec, 0))
                  .ok());
  EXPECT_EQ(ReadCount(*f).error(), Errno::kEAGAIN);
  SetRealtimeNs(RealtimeNs() + 5 * kNsPerSec);
  EXPECT_EQ(f->Poll(), fs::ev::kReadable);
  EXPECT_EQ(ReadCount(*f).error(), Errno::kECANCELED);
  EXPECT_EQ(ReadCount(*f).error(), Errno::kEAGAIN);
  // Without it, a clock change is ignored.
  ASSERT_TRUE(SetTimerFd(*f, kTfdTimerAbstime, Spec(RealtimeNs() + 100 * kNsPerSec, 0)).ok());
  SetRealtimeNs(RealtimeNs() + kNsPerSec);
  EXPECT_EQ(ReadCount(*f).error(), Errno::kEAGAIN);
}

TEST_F(TimerFdTest, Errors) {
  EXPECT_EQ(CreateTimerFd(99, 0, true).error(), Errno::kEINVAL);
  EXPECT_EQ(CreateTimerFd(kClockProcessCputime, 0, true).error(), Errno::kEINVAL);
  EXPECT_EQ(CreateTimerFd(kClockMonotonic, 0x1234, true).error(), Errno::kEINVAL);
  EXPECT_EQ(CreateTimerFd(kClockRealtimeAlarm, 0, false).error(), Errno::kEPERM);
  EXPECT_TRUE(CreateTimerFd(kClockBoottimeAlarm, 0, true).ok());
  lib::RefPtr<fs::File> f = CreateTimerFd(kClockMonotonic, kTfdNonBlock, false).value();
  EXPECT_EQ(SetTimerFd(*f, 0x80, Spec(kMs, 0)).error(), Errno::kEINVAL);
  Itimerspec bad{{0, 0}, {0, -1}};
  EXPECT_EQ(SetTimerFd(*f, 0, bad).error(), Errno::kEINVAL);
  bad = Itimerspec{{0, 1'000'000'000}, {1, 0}};
  EXPECT_EQ(SetTimerFd(*f, 0, bad).error(), Errno::kEINVAL);
  u64 pos = 0, v = 1;
  EXPECT_EQ(f->Write(fs::IoBuffer::KernelConst(&v, sizeof(v)), pos).error(), Errno::kEINVAL);
  EXPECT_EQ(f->Describe().value().view(), lib::string_view("anon_inode:[timerfd]"));
}

}  // namespace
}  // namespace kernel::time
