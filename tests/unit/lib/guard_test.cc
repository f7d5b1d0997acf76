#include "kernel/lib/guard.h"

#include <gtest/gtest.h>

#include "kernel/lib/vector.h"

namespace kernel::lib {
namespace {

class ProtectedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lockdep::ResetForTesting();
    hal::Interrupts::Enable();
  }
};

struct Stats {
  int reads = 0;
  int writes = 0;
};

TEST_F(ProtectedTest, WithHoldsTheLockForTheCall) {
  Protected<Stats> stats;
  int result = stats.With([&](Stats& s) {
    EXPECT_TRUE(stats.lock().held());
    EXPECT_FALSE(hal::Interrupts::Enabled());
    s.writes += 2;
    return s.writes;
  });
  EXPECT_EQ(result, 2);
  EXPECT_FALSE(stats.lock().held());
  EXPECT_TRUE(hal::Interrupts::Enabled());
  stats.With([](Stats& s) { ++s.reads; });  // void result
  const Protected<Stats>& ro = stats;
  EXPECT_EQ(ro.With([](const Stats& s) { return s.reads; }), 1);
}

TEST_F(ProtectedTest, LockedAccessorHoldsUntilItGoesAway) {
  Protected<Stats> stats(LockOptions{LockRank::kScheduler, "stats"});
  EXPECT_EQ(stats.lock().rank(), LockRank::kScheduler);
  {
    auto locked = stats.Lock();
    EXPECT_TRUE(stats.lock().held());
    locked->reads = 4;
    (*locked).writes = 5;
  }
  EXPECT_FALSE(stats.lock().held());
  const Protected<Stats>& ro = stats;
  {
    auto locked = ro.Lock();
    EXPECT_EQ(locked->reads, 4);
    EXPECT_EQ((*locked).writes, 5);
  }
  EXPECT_FALSE(stats.lock().held());
}

TEST_F(ProtectedTest, ValueConstructedFromArguments) {
  Protected<Vector<int>> numbers;
  ASSERT_TRUE(numbers.With([](Vector<int>& v) { return v.TryPush(7); }).ok());
  EXPECT_EQ(numbers.With([](Vector<int>& v) { return v[0]; }), 7);
  Protected<Stats> stats(LockOptions{}, Stats{1, 2});
  EXPECT_EQ(stats.With([](Stats& s) { return s.reads + s.writes; }), 3);
  Protected<int> plain(41);
  EXPECT_EQ(plain.With([](int& v) { return ++v; }), 42);
}

TEST(GuardDeathTest, ReleasingTwicePanics) {
  SpinLock lock;
  EXPECT_DEATH(
      {
        Guard guard(lock);
        guard.Release();
        guard.Release();
      },
      "KERNEL PANIC.*Guard released twice");
}

}  // namespace
}  // namespace kernel::lib
