#include "kernel/lib/spin_lock.h"

#include <gtest/gtest.h>

#include "kernel/lib/guard.h"

namespace kernel::lib {
namespace {

class SpinLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lockdep::ResetForTesting();
    hal::Interrupts::Enable();
  }
  void TearDown() override {
    EXPECT_EQ(lockdep::SpinLocksHeld(), 0u);
    hal::Interrupts::Enable();
  }
};

TEST_F(SpinLockTest, DisablesInterruptsWhileHeldAndRestoresThem) {
  SpinLock lock;
  EXPECT_FALSE(lock.held());
  lock.Acquire();
  EXPECT_TRUE(lock.held());
  EXPECT_FALSE(hal::Interrupts::Enabled());
  lock.AssertHeld();
  lock.Release();
  EXPECT_FALSE(lock.held());
  EXPECT_TRUE(hal::Interrupts::Enabled());
}

TEST_F(SpinLockTest, KeepsInterruptsOffIfTheyWereOff) {
  SpinLock lock;
  hal::Interrupts::Disable();
  lock.Acquire();
  lock.Release();
  EXPECT_FALSE(hal::Interrupts::Enabled());
}

TEST_F(SpinLockTest, NestedLocksRestoreInOrder) {
  SpinLock outer(LockRank::kMm, "outer");
  SpinLock inner(LockRank::kHeap, "inner");
  outer.Acquire();
  inner.Acquire();
  if constexpr (kDebugChecks) {
    EXPECT_EQ(lockdep::SpinLocksHeld(), 2u);
  }
  inner.Release();
  EXPECT_FALSE(hal::Interrupts::Enabled()) << "outer still held";
  outer.Release();
  EXPECT_TRUE(hal::Interrupts::Enabled());
}

TEST_F(SpinLockTest, OutOfOrderReleaseIsAllowed) {
  SpinLock a(LockRank::kMm, "a");
  SpinLock b(LockRank::kHeap, "b");
  a.Acquire();
  b.Acquire();
  a.Release();  // hand-over-hand
  EXPECT_TRUE(b.held());
  b.Release();
}

TEST_F(SpinLockTest, TryAcquire) {
  SpinLock lock;
  ASSERT_TRUE(lock.TryAcquire());
  EXPECT_FALSE(hal::Interrupts::Enabled());
  EXPECT_FALSE(lock.TryAcquire());           // held (by us: uniprocessor)
  EXPECT_FALSE(hal::Interrupts::Enabled());  // the failed try left the state alone
  lock.Release();
  EXPECT_TRUE(hal::Interrupts::Enabled());
}

TEST_F(SpinLockTest, GuardHoldsForTheScopeAndCanReleaseEarly) {
  SpinLock lock;
  {
    Guard guard(lock);
    EXPECT_TRUE(lock.held());
  }
  EXPECT_FALSE(lock.held());
  {
    Guard guard(lock);
    guard.Release();
    EXPECT_FALSE(lock.held());
    EXPECT_TRUE(hal::Interrupts::Enabled());
  }
  EXPECT_FALSE(lock.held());
}

TEST_F(SpinLockTest, UnrankedLocksNestInAnyOrder) {
  SpinLock a, b;
  Guard ga(a);
  Guard gb(b);
  SpinLock ranked(LockRank::kConsole, "console");
  Guard gr(ranked);
  EXPECT_TRUE(ranked.held());
}

TEST_F(SpinLockTest, AscendingRanksAreAccepted) {
  SpinLock fs(LockRank::kFs, "fs"), mm(LockRank::kMm, "mm"), heap(LockRank::kHeap, "heap");
  Guard g1(fs);
  Guard g2(mm);
  Guard g3(heap);
  EXPECT_TRUE(heap.held());
}

using SpinLockDeathTest = SpinLockTest;

TEST_F(SpinLockDeathTest, RecursionPanics) {
  SpinLock lock(LockRank::kUnranked, "twice");
  EXPECT_DEATH(
      {
        lock.Acquire();
        lock.Acquire();
      },
      "KERNEL PANIC: spinlock twice .* acquired recursively");
}

TEST_F(SpinLockDeathTest, ReleaseWithoutHoldingPanics) {
  SpinLock lock(LockRank::kUnranked, "free");
  EXPECT_DEATH(lock.Release(), "KERNEL PANIC: spinlock free .* released while not held");
  EXPECT_DEATH(lock.AssertHeld(), "KERNEL PANIC: spinlock free .* is not held");
}

TEST_F(SpinLockDeathTest, RankViolationPanicsInDebugBuilds) {
  SpinLock heap(LockRank::kHeap, "heap");
  SpinLock mm(LockRank::kMm, "mm");
  SpinLock mm2(LockRank::kMm, "mm2");
  if constexpr (kDebugChecks) {
    EXPECT_DEATH(
        {
          Guard g1(heap);
          Guard g2(mm);
        },
        "KERNEL PANIC: lock order violation: acquiring mm \\(rank 3000\\) while holding heap "
        "\\(rank 6000\\)");
    EXPECT_DEATH(
        {
          Guard g1(mm);
          Guard g2(mm2);
        },
        "lock order violation: acquiring mm2");
  } else {
    // Release builds do not check the order; the locks still work.
    Guard g1(heap);
    Guard g2(mm);
    EXPECT_TRUE(mm.held());
  }
}

}  // namespace
}  // namespace kernel::lib
