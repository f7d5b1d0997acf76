#include "kernel/proc/scheduler.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <hal/interrupts.h>

#include "hal/hostsim/machine.h"
#include "kernel/lib/mutex.h"
#include "kernel/proc/wait_queue.h"
#include "kernel/time/timer.h"

namespace kernel::proc {
namespace {

// Each test adopts the test thread as the "boot" task, so the scheduler can switch away from
// it and back, exactly as the kernel's boot path does.
class SchedulerTest : public testing::Test {
 protected:
  void SetUp() override {
    boot_ = Task::AdoptCurrentContext("test").value();
    sched::Init(*boot_);
    hal::Interrupts::Enable();
  }
  void TearDown() override {
    // Let every spawned task run to its end, then free them.
    for (int i = 0; i < 100 && !AllDead(); ++i) sched::Yield();
    ASSERT_TRUE(AllDead()) << "a task of this test never finished";
    for (Task* t : tasks_) Task::Destroy(t);
    Task::Destroy(boot_);
  }
  bool AllDead() const {
    for (Task* t : tasks_)
      if (t->state() != TaskState::kDead) return false;
    return true;
  }

  template <typename F>
  Task* Spawn(const char* name, F fn) {
    auto* holder = new F(std::move(fn));
    Task* t = Task::Create(
                  name,
                  [](void* arg) {
                    (*static_cast<F*>(arg))();
                    delete static_cast<F*>(arg);
                    sched::ExitCurrent();
                  },
                  holder)
                  .value();
    tasks_.push_back(t);
    sched::MakeRunnable(*t);
    return t;
  }

  Task* boot_ = nullptr;
  std::vector<Task*> tasks_;
};

TEST_F(SchedulerTest, YieldRunsTasksRoundRobin) {
  std::string trace;
  for (char c : {'a', 'b', 'c'}) {
    Spawn("rr", [&trace, c] {
      for (int i = 0; i < 3; ++i) {
        trace += c;
        sched::Yield();
      }
    });
  }
  while (trace.size() < 9) sched::Yield();
  EXPECT_EQ(trace, "abcabcabc");
}

TEST_F(SchedulerTest, WaitQueueWakesSleeperWhenConditionHolds) {
  WaitQueue queue;
  bool ready = false;
  std::string trace;
  Spawn("waiter", [&] {
    trace += "w";
    queue.Wait([&] { return ready; });
    trace += "W";
  });
  sched::Yield();  // the waiter runs and sleeps
  EXPECT_EQ(trace, "w");
  EXPECT_EQ(tasks_[0]->state(), TaskState::kBlocked);
  queue.WakeAll();  // spurious: the condition is still false
  sched::Yield();
  EXPECT_EQ(trace, "w");
  ready = true;
  queue.WakeAll();
  sched::Yield();
  EXPECT_EQ(trace, "wW");
}

TEST_F(SchedulerTest, WakeBeforeBlockIsNotLost) {
  // The waker runs between the waiter's condition check and its sleep: simulated by a
  // condition that wakes the queue itself the first time it is evaluated.
  WaitQueue queue;
  int checks = 0;
  bool done = false;
  Spawn("waiter", [&] {
    queue.Wait([&] {
      if (++checks == 1) {
        queue.WakeAll();  // we are on the queue and blocked: this makes us runnable
        return false;
      }
      return true;
    });
    done = true;
  });
  for (int i = 0; i < 5 && !done; ++i) sched::Yield();
  EXPECT_TRUE(done);
  EXPECT_EQ(checks, 2);
}

TEST_F(SchedulerTest, InterruptibleWaitEndsWithErestartsysWhenSignalled) {
  WaitQueue queue;
  Result<void> result = Ok();
  bool finished = false;
  Task* t = Spawn("sleeper", [&] {
    result = queue.WaitInterruptible([] { return false; });
    finished = true;
  });
  sched::Yield();
  ASSERT_EQ(t->state(), TaskState::kBlocked);
  t->set_interrupt_pending(true);
  sched::Wake(*t);
  sched::Yield();
  ASSERT_TRUE(finished);
  EXPECT_EQ(result.error(), Errno::kERESTARTSYS);
}

TEST_F(SchedulerTest, SleepUntilWakesAtTheDeadlineOfTheVirtualClock) {
  hal::Interrupts::StartTick(sched::kTickHz);
  u64 start = time::MonotonicNs();
  u64 woke_at = 0;
  Spawn("sleeper", [&] {
    ASSERT_TRUE(SleepUntil(start + 5'000'000).ok());
    woke_at = time::MonotonicNs();
  });
  // The boot task blocks too: with nothing runnable the CPU idles, and hostsim's idle moves
  // the virtual clock forward tick by tick until the timer fires.
  WaitQueue never;
  Result<void> r = never.WaitInterruptibleUntil([&] { return woke_at != 0; }, start + 50'000'000);
  EXPECT_TRUE(r.ok());
  EXPECT_GE(woke_at, start + 5'000'000);
  EXPECT_LT(woke_at, start + 7'000'000);
}

TEST_F(SchedulerTest, DeadTaskStackIsReleasedAfterSwitchingAway) {
  Task* t = Spawn("short", [] {});
  sched::Yield();
  EXPECT_EQ(t->state(), TaskState::kDead);
  EXPECT_FALSE(t->has_kernel_stack());
}

TEST(TimerTest, FiresInDeadlineOrder) {
  std::vector<int> fired;
  time::Timer a, b, c;
  u64 now = time::MonotonicNs();
  struct Ctx {
    std::vector<int>* out;
    int id;
  } ca{&fired, 1}, cb{&fired, 2}, cc{&fired, 3};
  auto cb_fn = [](time::Timer& t) {
    auto* ctx = static_cast<Ctx*>(t.data());
    ctx->out->push_back(ctx->id);
  };
  a.Arm(now + 300, cb_fn, &ca);
  b.Arm(now + 100, cb_fn, &cb);
  c.Arm(now + 200, cb_fn, &cc);
  EXPECT_EQ(time::NextDeadline(), now + 100);
  EXPECT_TRUE(c.Cancel());
  EXPECT_FALSE(c.Cancel());
  hal::hostsim::AdvanceClock(400);
  time::RunExpiredTimers();
  EXPECT_EQ(fired, (std::vector<int>{2, 1}));
}

}  // namespace
}  // namespace kernel::proc

namespace kernel::proc {
namespace {

TEST_F(SchedulerTest, ContendedMutexSleepsAndHandsOverInOrder) {
  lib::Mutex mutex;
  std::string trace;
  mutex.Acquire();  // the test task holds it
  for (char c : {'a', 'b'}) {
    Spawn("locker", [&, c] {
      mutex.Acquire();
      trace += c;
      mutex.Release();
    });
  }
  sched::Yield();  // both try, both sleep
  EXPECT_EQ(trace, "");
  EXPECT_EQ(mutex.waiters(), 2u);
  mutex.Release();
  for (int i = 0; i < 5 && trace.size() < 2; ++i) sched::Yield();
  EXPECT_EQ(trace, "ab");
  EXPECT_FALSE(mutex.held());
}

}  // namespace
}  // namespace kernel::proc
