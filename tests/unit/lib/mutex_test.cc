#include "kernel/lib/mutex.h"

#include <gtest/gtest.h>

#include <functional>

#include "kernel/lib/guard.h"
#include "kernel/lib/spin_lock.h"

namespace kernel::lib {
namespace {

// A stand-in for the scheduler: `current` is the running task; while a task sleeps in the
// wait hook, `run_others` plays the other tasks.
struct FakeScheduler {
  static inline const void* current = nullptr;
  static inline std::function<void()> run_others;
  static inline int waits = 0;
  static inline int wakes = 0;

  static void Wait(Mutex&) {
    ++waits;
    const void* me = current;
    if (run_others) run_others();
    current = me;
  }
  static void Wake(Mutex&) { ++wakes; }
  static const void* Current() { return current; }
};

class MutexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lockdep::ResetForTesting();
    FakeScheduler::current = &task_a_;
    FakeScheduler::run_others = nullptr;
    FakeScheduler::waits = FakeScheduler::wakes = 0;
    SetMutexWaitHooks(&FakeScheduler::Wait, &FakeScheduler::Wake);
    SetMutexOwnerHook(&FakeScheduler::Current);
  }
  void TearDown() override {
    SetMutexWaitHooks(nullptr, nullptr);
    SetMutexOwnerHook(nullptr);
    FakeScheduler::run_others = nullptr;
  }
  int task_a_ = 0;
  int task_b_ = 0;
};

TEST_F(MutexTest, UncontendedAcquireNeverSleeps) {
  Mutex m;
  m.Acquire();
  EXPECT_TRUE(m.held());
  m.AssertHeld();
  m.Release();
  EXPECT_FALSE(m.held());
  EXPECT_EQ(FakeScheduler::waits, 0);
  EXPECT_EQ(FakeScheduler::wakes, 0);
}

TEST_F(MutexTest, ContendedAcquireSleepsUntilTheHolderReleases) {
  Mutex m(LockRank::kFs, "inode");
  m.Acquire();  // task A, which then "sleeps" holding it
  FakeScheduler::current = &task_b_;
  FakeScheduler::run_others = [&] {
    FakeScheduler::current = &task_a_;  // A runs again and releases
    EXPECT_EQ(m.waiters(), 1u);
    m.Release();
  };
  m.Acquire();  // task B
  EXPECT_EQ(FakeScheduler::waits, 1);
  EXPECT_EQ(FakeScheduler::wakes, 1);
  EXPECT_EQ(m.waiters(), 0u);
  m.AssertHeld();  // by B
  m.Release();
  EXPECT_EQ(FakeScheduler::wakes, 1) << "no waiters left: no wake";
}

TEST_F(MutexTest, SpuriousWakeupsAreTolerated) {
  Mutex m;
  m.Acquire();
  FakeScheduler::current = &task_b_;
  int rounds = 0;
  FakeScheduler::run_others = [&] {
    if (++rounds < 3) return;  // woken without the mutex being free
    FakeScheduler::current = &task_a_;
    m.Release();
  };
  m.Acquire();
  EXPECT_EQ(FakeScheduler::waits, 3);
  EXPECT_TRUE(m.held());
  m.Release();
}

TEST_F(MutexTest, TryAcquireNeverSleeps) {
  Mutex m;
  ASSERT_TRUE(m.TryAcquire());
  FakeScheduler::current = &task_b_;
  EXPECT_FALSE(m.TryAcquire());
  EXPECT_EQ(FakeScheduler::waits, 0);
  FakeScheduler::current = &task_a_;
  m.Release();
}

TEST_F(MutexTest, GuardAndProtectedWorkWithMutexes) {
  Mutex m;
  {
    Guard guard(m);
    EXPECT_TRUE(m.held());
  }
  EXPECT_FALSE(m.held());
  Protected<int, Mutex> counter(LockOptions{LockRank::kProc, "counter"}, 5);
  EXPECT_EQ(counter.With([](int& v) { return ++v; }), 6);
  EXPECT_STREQ(counter.lock().name(), "counter");
}

using MutexDeathTest = MutexTest;

TEST_F(MutexDeathTest, ContentionWithoutHooksPanicsClearly) {
  SetMutexWaitHooks(nullptr, nullptr);
  SetMutexOwnerHook(nullptr);
  Mutex m(LockRank::kUnranked, "early");
  EXPECT_DEATH(
      {
        m.Acquire();
        m.Acquire();
      },
      "KERNEL PANIC: mutex early .* is contended but no scheduler wait hooks are installed");
}

TEST_F(MutexDeathTest, RecursionAndForeignReleasePanicWithAnOwnerHook) {
  Mutex m(LockRank::kUnranked, "owned");
  EXPECT_DEATH(
      {
        m.Acquire();
        m.Acquire();
      },
      "KERNEL PANIC: mutex owned .* acquired recursively");
  EXPECT_DEATH(
      {
        m.Acquire();
        FakeScheduler::current = &task_b_;
        m.Release();
      },
      "KERNEL PANIC: mutex owned .* released by");
  EXPECT_DEATH(
      {
        m.Acquire();
        FakeScheduler::current = &task_b_;
        m.AssertHeld();
      },
      "KERNEL PANIC: mutex owned .* not by the running task");
  EXPECT_DEATH(m.Release(), "KERNEL PANIC: mutex owned .* released while not held");
}

TEST_F(MutexDeathTest, DestroyingAHeldMutexPanics) {
  EXPECT_DEATH(
      {
        Mutex m(LockRank::kUnranked, "doomed");
        m.Acquire();
      },
      "KERNEL PANIC: .*mutex doomed .* destroyed while held");
}

TEST_F(MutexDeathTest, SleepingLockUnderASpinLockIsCaughtInDebugBuilds) {
  SpinLock spin(LockRank::kUnranked, "irq-safe");
  Mutex m(LockRank::kUnranked, "sleepy");
  if constexpr (kDebugChecks) {
    EXPECT_DEATH(
        {
          Guard g(spin);
          m.Acquire();
        },
        "KERNEL PANIC: acquiring mutex sleepy .* while holding spinlock irq-safe");
  } else {
    Guard g(spin);
    ASSERT_TRUE(m.TryAcquire());
    m.Release();
    EXPECT_TRUE(spin.held());
  }
}

}  // namespace
}  // namespace kernel::lib
