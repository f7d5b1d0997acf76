#include "kernel/lib/vector.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "kernel/lib/own_ptr.h"
#include "tests/unit/lib/test_support.h"

namespace kernel::lib {
namespace {

using testing::LiveAllocations;
using testing::MoveOnly;
using testing::ScopedHeapFailure;
using testing::Tracked;

class VectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Tracked::Reset();
    baseline_ = LiveAllocations();
  }
  void TearDown() override {
    EXPECT_EQ(Tracked::live, 0) << "Tracked objects leaked or destroyed twice";
    EXPECT_EQ(LiveAllocations(), baseline_) << "heap allocations leaked";
  }
  usize baseline_ = 0;
};

std::vector<int> Values(const Vector<Tracked>& v) {
  std::vector<int> out;
  for (const Tracked& t : v) out.push_back(t.value);
  return out;
}

TEST_F(VectorTest, EmptyVectorOwnsNothing) {
  Vector<int> v;
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(v.size(), 0u);
  EXPECT_EQ(v.capacity(), 0u);
  EXPECT_EQ(v.data(), nullptr);
  EXPECT_EQ(v.begin(), v.end());
  EXPECT_EQ(LiveAllocations(), baseline_);
  EXPECT_TRUE(v.AsSpan().empty());
}

TEST_F(VectorTest, PushGrowsGeometricallyAndKeepsOrder) {
  Vector<int> v;
  usize reallocations = 0;
  usize last_capacity = 0;
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(v.TryPush(i).ok());
    if (v.capacity() != last_capacity) {
      ++reallocations;
      EXPECT_GE(v.capacity(), last_capacity * 2);
      last_capacity = v.capacity();
    }
  }
  EXPECT_EQ(v.size(), 1000u);
  EXPECT_LE(reallocations, 10u);  // 4, 8, ..., 1024
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(v[static_cast<usize>(i)], i);
  EXPECT_EQ(v.front(), 0);
  EXPECT_EQ(v.back(), 999);
  int sum = 0;
  for (int x : v) sum += x;
  EXPECT_EQ(sum, 999 * 1000 / 2);
}

TEST_F(VectorTest, PushOfOwnElementSurvivesReallocation) {
  Vector<Tracked> v;
  ASSERT_TRUE(v.TryEmplace(7).ok());
  while (v.size() < v.capacity()) ASSERT_TRUE(v.TryEmplace(1).ok());
  // Full: the next push reallocates while its argument points into the old buffer.
  ASSERT_TRUE(v.TryPush(v[0]).ok());
  EXPECT_EQ(v.back().value, 7);
  ASSERT_TRUE(v.TryPush(v.back()).ok());
  EXPECT_EQ(v.back().value, 7);
}

TEST_F(VectorTest, InsertAtFrontMiddleAndEnd) {
  Vector<Tracked> v;
  ASSERT_TRUE(v.TryInsert(0, Tracked(2)).ok());
  ASSERT_TRUE(v.TryInsert(0, Tracked(0)).ok());
  ASSERT_TRUE(v.TryInsert(1, Tracked(1)).ok());
  ASSERT_TRUE(v.TryInsert(3, Tracked(4)).ok());
  ASSERT_TRUE(v.TryInsert(3, Tracked(3)).ok());  // forces growth past 4 with a hole inside
  EXPECT_EQ(Values(v), (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(v.TryInsert(6, Tracked(9)).error(), Errno::kEINVAL);
  EXPECT_EQ(v.size(), 5u);
  // Inserting an element of the vector itself, with and without reallocation.
  ASSERT_TRUE(v.TryInsert(0, v[4]).ok());
  EXPECT_EQ(Values(v), (std::vector<int>{4, 0, 1, 2, 3, 4}));
  ASSERT_TRUE(v.TryReserve(20).ok());
  ASSERT_TRUE(v.TryInsert(2, v[5]).ok());
  EXPECT_EQ(Values(v), (std::vector<int>{4, 0, 4, 1, 2, 3, 4}));
}

TEST_F(VectorTest, EraseKeepsOrder) {
  Vector<Tracked> v;
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(v.TryEmplace(i).ok());
  v.Erase(0);
  v.Erase(8);  // the last
  v.Erase(2, 5);
  EXPECT_EQ(Values(v), (std::vector<int>{1, 2, 6, 7, 8}));
  v.Erase(1, 1);  // empty range
  EXPECT_EQ(v.size(), 5u);
  EXPECT_EQ(Tracked::live, 5);
  v.EraseUnordered(0);
  EXPECT_EQ(Values(v), (std::vector<int>{8, 2, 6, 7}));
  v.EraseUnordered(3);
  EXPECT_EQ(Values(v), (std::vector<int>{8, 2, 6}));
  EXPECT_EQ(v.EraseIf([](const Tracked& t) { return t.value % 4 == 2; }), 2u);
  EXPECT_EQ(Values(v), (std::vector<int>{8}));
  EXPECT_EQ(Tracked::live, 1);
}

TEST_F(VectorTest, PopAndTake) {
  Vector<MoveOnly> v;
  ASSERT_TRUE(v.TryEmplace(1).ok());
  ASSERT_TRUE(v.TryEmplace(2).ok());
  MoveOnly last = v.TakeLast();
  EXPECT_EQ(last.value, 2);
  v.PopBack();
  EXPECT_TRUE(v.empty());
}

TEST_F(VectorTest, ResizeConstructsAndDestroys) {
  Vector<Tracked> v;
  ASSERT_TRUE(v.TryResize(5).ok());
  EXPECT_EQ(Tracked::live, 5);
  EXPECT_EQ(Values(v), (std::vector<int>{0, 0, 0, 0, 0}));
  v[0].value = 3;
  ASSERT_TRUE(v.TryResize(8, v[0]).ok());  // the fill value aliases an element, with growth
  EXPECT_EQ(Values(v), (std::vector<int>{3, 0, 0, 0, 0, 3, 3, 3}));
  ASSERT_TRUE(v.TryResize(2).ok());
  EXPECT_EQ(Tracked::live, 2);
  ASSERT_TRUE(v.TryResize(4, v[0]).ok());  // no growth needed
  EXPECT_EQ(Values(v), (std::vector<int>{3, 0, 3, 3}));
  v.Clear();
  EXPECT_EQ(Tracked::live, 0);
  EXPECT_GE(v.capacity(), 8u);
  ASSERT_TRUE(v.TryShrinkToFit().ok());
  EXPECT_EQ(v.capacity(), 0u);
}

TEST_F(VectorTest, AppendCopiesIncludingFromItself) {
  Vector<int> v;
  int items[] = {1, 2, 3};
  ASSERT_TRUE(v.TryAppend(span<const int>(items)).ok());
  ASSERT_TRUE(v.TryAppend(v.AsSpan()).ok());  // aliasing, reallocates
  ASSERT_TRUE(v.TryAppend(span<const int>()).ok());
  std::vector<int> got(v.begin(), v.end());
  EXPECT_EQ(got, (std::vector<int>{1, 2, 3, 1, 2, 3}));
}

TEST_F(VectorTest, MoveTransfersStorage) {
  Vector<Tracked> a;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(a.TryEmplace(i).ok());
  const Tracked* storage = a.data();
  Vector<Tracked> b(move(a));
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): moved-from state is specified
  EXPECT_EQ(b.data(), storage);
  Vector<Tracked> c;
  ASSERT_TRUE(c.TryEmplace(9).ok());
  c = move(b);
  EXPECT_EQ(Values(c), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(Tracked::live, 3);
}

TEST_F(VectorTest, CloneIsDeep) {
  Vector<Tracked> a;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(a.TryEmplace(i).ok());
  Vector<Tracked> b = a.TryClone().release_value();
  b[0].value = 42;
  EXPECT_EQ(a[0].value, 0);
  EXPECT_EQ(Values(b), (std::vector<int>{42, 1, 2}));
}

// Exhaustion: every growing operation reports ENOMEM and leaves the vector as it was, with its
// arguments untouched.
TEST_F(VectorTest, ExhaustionLeavesVectorIntact) {
  Vector<MoveOnly> v;
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(v.TryEmplace(i).ok());
  ASSERT_EQ(v.size(), v.capacity());
  const MoveOnly* storage = v.data();
  {
    ScopedHeapFailure fail(0);
    MoveOnly arg(77);
    EXPECT_EQ(v.TryPush(move(arg)).error(), Errno::kENOMEM);
    // NOLINTNEXTLINE(bugprone-use-after-move): a failed push must not have moved from it
    EXPECT_EQ(arg.value, 77) << "a failed push consumed its argument";
    EXPECT_EQ(v.TryInsert(1, move(arg)).error(), Errno::kENOMEM);
    // NOLINTNEXTLINE(bugprone-use-after-move): as above
    EXPECT_EQ(arg.value, 77) << "a failed insert consumed its argument";
    EXPECT_EQ(v.TryEmplace(5).error(), Errno::kENOMEM);
    EXPECT_EQ(v.TryReserve(100).error(), Errno::kENOMEM);
  }
  EXPECT_EQ(v.size(), 4u);
  EXPECT_EQ(v.data(), storage);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(v[static_cast<usize>(i)].value, i);
  EXPECT_TRUE(v.TryEmplace(4).ok());
}

TEST_F(VectorTest, ExhaustionOfCopyingOperations) {
  Vector<Tracked> v;
  ASSERT_TRUE(v.TryResize(4).ok());
  {
    ScopedHeapFailure fail(0);
    EXPECT_EQ(v.TryResize(10).error(), Errno::kENOMEM);
    EXPECT_EQ(v.TryResize(10, Tracked(1)).error(), Errno::kENOMEM);
    Tracked more[2];
    EXPECT_EQ(v.TryAppend(span<const Tracked>(more)).error(), Errno::kENOMEM);
    EXPECT_EQ(v.TryClone().error(), Errno::kENOMEM);
    // Shrinking never needs memory.
    EXPECT_TRUE(v.TryResize(2).ok());
    EXPECT_TRUE(v.TryShrinkToFit().is_error());  // needs a smaller buffer
  }
  EXPECT_EQ(v.size(), 2u);
  EXPECT_EQ(Tracked::live, 2);
}

TEST_F(VectorTest, ElementsOwningMemoryAreFreed) {
  Vector<OwnPtr<Tracked>> v;
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(v.TryPush(TryMakeOwn<Tracked>(i).release_value()).ok());
  EXPECT_EQ(Tracked::live, 20);
  v.Erase(3, 13);
  EXPECT_EQ(Tracked::live, 10);
  EXPECT_EQ(v[3]->value, 13);
  {
    ScopedHeapFailure fail(0);
    auto own = TryMakeOwn<Tracked>(1);
    EXPECT_EQ(own.error(), Errno::kENOMEM);
  }
}

TEST_F(VectorTest, SizeOverflowIsEnomemNotACrash) {
  Vector<u64> v;
  EXPECT_EQ(v.TryReserve(numeric_limits<usize>::max()).error(), Errno::kENOMEM);
  EXPECT_EQ(v.TryReserve(numeric_limits<usize>::max() / 8 + 1).error(), Errno::kENOMEM);
  EXPECT_EQ(v.TryResize(numeric_limits<usize>::max() / 4).error(), Errno::kENOMEM);
  EXPECT_EQ(v.TryReserve(usize{1} << 40).error(), Errno::kENOMEM);  // more than the heap
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(v.capacity(), 0u);
}

TEST_F(VectorTest, OverAlignedElements) {
  struct alignas(64) Wide {
    u8 bytes[64];
  };
  Vector<Wide> v;
  for (int i = 0; i < 9; ++i) ASSERT_TRUE(v.TryEmplace().ok());
  EXPECT_EQ(reinterpret_cast<uptr>(v.data()) % 64, 0u);
}

// Random operations against std::vector, with injected allocation failures.
TEST_F(VectorTest, RandomizedAgainstStdVector) {
  std::mt19937 rng(12345);
  Vector<Tracked> v;
  std::vector<int> ref;
  for (int step = 0; step < 20000; ++step) {
    unsigned op = rng() % 12;
    bool inject = rng() % 16 == 0;
    std::vector<int> before = ref;
    Result<void> r = Ok();
    {
      ScopedHeapFailure fail(inject ? 0 : 1000000);
      int value = static_cast<int>(rng() % 1000);
      switch (op) {
        case 0:
        case 1:
        case 2:
          r = v.TryEmplace(value);
          if (r.ok()) ref.push_back(value);
          break;
        case 3: {
          usize at = ref.empty() ? 0 : rng() % (ref.size() + 1);
          r = v.TryInsert(at, Tracked(value));
          if (r.ok()) ref.insert(ref.begin() + static_cast<long>(at), value);
          break;
        }
        case 4:
          if (!ref.empty()) {
            usize at = rng() % ref.size();
            v.Erase(at);
            ref.erase(ref.begin() + static_cast<long>(at));
          }
          break;
        case 5:
          if (!ref.empty()) {
            v.PopBack();
            ref.pop_back();
          }
          break;
        case 6: {
          usize n = rng() % 64;
          r = v.TryResize(n, Tracked(value));
          if (r.ok()) ref.resize(n, value);
          break;
        }
        case 7:
          if (!ref.empty()) {
            usize a = rng() % ref.size();
            usize b = a + rng() % (ref.size() - a + 1);
            v.Erase(a, b);
            ref.erase(ref.begin() + static_cast<long>(a), ref.begin() + static_cast<long>(b));
          }
          break;
        case 8:
          if (rng() % 8 == 0) {
            v.Clear();
            ref.clear();
          }
          break;
        case 9:
          r = v.TryReserve(rng() % 128);
          break;
        case 10: {
          int m = static_cast<int>(rng() % 7 + 2);
          v.EraseIf([m](const Tracked& t) { return t.value % m == 0; });
          std::erase_if(ref, [m](int x) { return x % m == 0; });
          break;
        }
        case 11:
          r = v.TryShrinkToFit();
          break;
      }
    }
    if (r.is_error()) {
      ASSERT_TRUE(inject) << "failure without injection at step " << step;
      ASSERT_EQ(r.error(), Errno::kENOMEM);
      ASSERT_EQ(ref, before);
    }
    ASSERT_EQ(Values(v), ref) << "step " << step << " op " << op;
    ASSERT_EQ(static_cast<usize>(Tracked::live), ref.size());
    ASSERT_LE(v.size(), v.capacity());
  }
}

TEST(VectorDeathTest, PopOnEmptyPanics) {
  Vector<int> v;
  EXPECT_DEATH(v.PopBack(), "KERNEL PANIC.*PopBack on an empty Vector");
  EXPECT_DEATH(v.Erase(0), "KERNEL PANIC.*erase");
}

TEST(VectorDeathTest, IndexOutOfRangeIsCaughtInDebugBuilds) {
  Vector<int> v;
  ASSERT_TRUE(v.TryPush(1).ok());
  if constexpr (kDebugChecks) {
    EXPECT_DEATH((void)v[1], "KERNEL PANIC.*index 1, size 1");
  } else {
    // Release builds do not check; the element past the end is still inside the capacity.
    EXPECT_GE(v.capacity(), 2u);
    EXPECT_EQ(&v[1], v.data() + 1);
  }
}

}  // namespace
}  // namespace kernel::lib
