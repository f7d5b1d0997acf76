#include "kernel/lib/bitmap.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "tests/unit/lib/test_support.h"

namespace kernel::lib {
namespace {

using testing::LiveAllocations;
using testing::ScopedHeapFailure;

// The obvious answers, from a std::vector<bool>.
struct Reference {
  std::vector<bool> bits;
  std::optional<usize> First(usize from, bool value) const {
    for (usize i = from; i < bits.size(); ++i) {
      if (bits[i] == value) return i;
    }
    return std::nullopt;
  }
  std::optional<usize> ClearRun(usize count, usize from, usize align) const {
    if (count == 0) return std::nullopt;
    for (usize i = (from + align - 1) / align * align; i + count <= bits.size(); i += align) {
      bool ok = true;
      for (usize j = i; j < i + count && ok; ++j) ok = !bits[j];
      if (ok) return i;
    }
    return std::nullopt;
  }
};

TEST(BitmapTest, FixedBitmapStartsClearAndSetsSingleBits) {
  FixedBitmap<130> b;
  EXPECT_EQ(b.size(), 130u);
  EXPECT_EQ(b.CountSet(), 0u);
  EXPECT_EQ(b.FindFirstSet(), std::nullopt);
  EXPECT_EQ(b.FindFirstClear(), 0u);
  b.Set(0);
  b.Set(63);
  b.Set(64);
  b.Set(129);
  EXPECT_TRUE(b.Test(63));
  EXPECT_FALSE(b.Test(62));
  EXPECT_EQ(b.CountSet(), 4u);
  EXPECT_EQ(b.FindFirstSet(1), 63u);
  EXPECT_EQ(b.FindFirstSet(65), 129u);
  EXPECT_EQ(b.FindFirstSet(130), std::nullopt);
  EXPECT_EQ(b.FindFirstClear(63), 65u);
  b.Clear(63);
  EXPECT_FALSE(b.Test(63));
  EXPECT_FALSE(b.TestAndSet(5));
  EXPECT_TRUE(b.TestAndSet(5));
}

TEST(BitmapTest, RangesAcrossWordBoundaries) {
  FixedBitmap<200> b;
  b.SetRange(60, 70);  // words 0..2
  EXPECT_EQ(b.CountSet(), 70u);
  EXPECT_FALSE(b.Test(59));
  EXPECT_TRUE(b.Test(60));
  EXPECT_TRUE(b.Test(129));
  EXPECT_FALSE(b.Test(130));
  b.ClearRange(64, 64);  // exactly word 1
  EXPECT_EQ(b.CountSet(), 6u);
  b.SetRange(10, 0);  // empty
  EXPECT_EQ(b.CountSet(), 6u);
  b.SetAll();
  EXPECT_EQ(b.CountSet(), 200u);
  EXPECT_EQ(b.FindFirstClear(), std::nullopt);
  b.ClearAll();
  EXPECT_EQ(b.CountSet(), 0u);
}

TEST(BitmapTest, FullAndEmptyEdges) {
  FixedBitmap<64> exact;
  exact.SetAll();
  EXPECT_EQ(exact.CountSet(), 64u);
  EXPECT_EQ(exact.FindFirstClear(), std::nullopt);
  EXPECT_EQ(exact.FindClearRun(1), std::nullopt);
  exact.Clear(63);
  EXPECT_EQ(exact.FindFirstClear(), 63u);
  EXPECT_EQ(exact.FindClearRun(1), 63u);
  EXPECT_EQ(exact.FindClearRun(2), std::nullopt);
  FixedBitmap<0> none;
  EXPECT_EQ(none.CountSet(), 0u);
  EXPECT_EQ(none.FindFirstClear(), std::nullopt);
  EXPECT_EQ(none.FindClearRun(1), std::nullopt);
}

TEST(BitmapTest, ClearRunsWithAlignment) {
  FixedBitmap<256> b;
  EXPECT_EQ(b.FindClearRun(256), 0u);
  EXPECT_EQ(b.FindClearRun(257), std::nullopt);
  EXPECT_EQ(b.FindClearRun(0), std::nullopt);
  b.Set(3);
  b.Set(100);
  EXPECT_EQ(b.FindClearRun(3), 0u);
  EXPECT_EQ(b.FindClearRun(4), 4u);
  EXPECT_EQ(b.FindClearRun(96), 4u);
  EXPECT_EQ(b.FindClearRun(97), 101u);
  EXPECT_EQ(b.FindClearRun(4, 0, 8), 8u);
  EXPECT_EQ(b.FindClearRun(64, 0, 64), 128u);  // [64,128) holds bit 100
  EXPECT_EQ(b.FindClearRun(8, 97, 3), 102u);   // alignment need not be a power of two
  EXPECT_EQ(b.FindClearRun(1, 255), 255u);
  EXPECT_EQ(b.FindClearRun(2, 255), std::nullopt);
  EXPECT_EQ(b.FindClearRun(1, 1000), std::nullopt);
}

TEST(BitmapTest, HeapBitmapCreateResizeAndExhaustion) {
  usize baseline = LiveAllocations();
  {
    Bitmap b = Bitmap::TryCreate(100).release_value();
    EXPECT_EQ(b.size(), 100u);
    EXPECT_EQ(b.CountSet(), 0u);
    b.SetRange(90, 10);
    ASSERT_TRUE(b.TryResize(300).ok());
    EXPECT_EQ(b.CountSet(), 10u);
    EXPECT_EQ(b.FindFirstSet(100), std::nullopt) << "grown bits must be clear";
    b.Set(299);
    ASSERT_TRUE(b.TryResize(95).ok());  // shrinking drops bits 95..
    EXPECT_EQ(b.CountSet(), 5u);
    ASSERT_TRUE(b.TryResize(128).ok());
    EXPECT_EQ(b.CountSet(), 5u) << "bits past a shrink must not reappear";
    {
      ScopedHeapFailure fail(0);
      EXPECT_EQ(b.TryResize(10000).error(), Errno::kENOMEM);
      EXPECT_EQ(Bitmap::TryCreate(10).error(), Errno::kENOMEM);
      EXPECT_TRUE(b.TryResize(100).ok()) << "same word count: no allocation";
    }
    EXPECT_EQ(b.size(), 100u);
    EXPECT_EQ(b.CountSet(), 5u);
    EXPECT_EQ(b.TryResize(numeric_limits<usize>::max()).error(), Errno::kENOMEM);
    Bitmap moved(move(b));
    EXPECT_EQ(moved.CountSet(), 5u);
    EXPECT_EQ(b.size(), 0u);  // NOLINT(bugprone-use-after-move)
    ASSERT_TRUE(moved.TryResize(0).ok());
    EXPECT_EQ(moved.words(), nullptr);
    Bitmap empty = Bitmap::TryCreate(0).release_value();
    EXPECT_EQ(empty.FindFirstClear(), std::nullopt);
  }
  EXPECT_EQ(LiveAllocations(), baseline);
}

TEST(BitmapTest, RandomizedAgainstVectorBool) {
  std::mt19937 rng(2024);
  for (usize size : {1u, 63u, 64u, 65u, 200u, 1000u}) {
    Bitmap b = Bitmap::TryCreate(size).release_value();
    Reference ref{std::vector<bool>(size)};
    for (int step = 0; step < 3000; ++step) {
      usize i = rng() % size;
      usize n = rng() % (size - i + 1);
      switch (rng() % 7) {
        case 0:
          b.Set(i);
          ref.bits[i] = true;
          break;
        case 1:
          b.Clear(i);
          ref.bits[i] = false;
          break;
        case 2:
          b.SetRange(i, n);
          for (usize j = i; j < i + n; ++j) ref.bits[j] = true;
          break;
        case 3:
          b.ClearRange(i, n);
          for (usize j = i; j < i + n; ++j) ref.bits[j] = false;
          break;
        case 4:
          ASSERT_EQ(b.FindFirstSet(i), ref.First(i, true)) << size << " from " << i;
          ASSERT_EQ(b.FindFirstClear(i), ref.First(i, false)) << size << " from " << i;
          break;
        case 5: {
          usize count = rng() % 70;
          usize align = rng() % 4 == 0 ? 1 + rng() % 16 : 1;
          ASSERT_EQ(b.FindClearRun(count, i, align), ref.ClearRun(count, i, align))
              << size << " count " << count << " from " << i << " align " << align;
          break;
        }
        case 6:
          ASSERT_EQ(b.CountSet(),
                    static_cast<usize>(std::count(ref.bits.begin(), ref.bits.end(), true)));
          break;
      }
      ASSERT_EQ(b.Test(i), ref.bits[i]);
    }
  }
}

TEST(BitmapDeathTest, OutOfRangeIndicesPanic) {
  FixedBitmap<10> b;
  EXPECT_DEATH(b.Set(10), "KERNEL PANIC.*bits \\[10, \\+1\\) outside a bitmap of 10");
  EXPECT_DEATH((void)b.Test(numeric_limits<usize>::max()), "outside a bitmap");
  EXPECT_DEATH(b.SetRange(5, numeric_limits<usize>::max()), "outside a bitmap");
  EXPECT_DEATH((void)b.FindClearRun(1, 0, 0), "align 0");
}

}  // namespace
}  // namespace kernel::lib
