#include "kernel/mm/heap.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <utility>
#include <vector>

#include "kernel/lib/alloc.h"
#include "kernel/mm/page_alloc.h"

namespace kernel::mm {
namespace {

// Each test must leave the heap and the page allocator as it found them: empty slabs go
// straight back to the buddy allocator, so nothing lingers.
class HeapTest : public testing::Test {
 protected:
  void SetUp() override {
    heap_ = heap::GetStats();
    phys_ = GetPhysStats();
  }
  void TearDown() override {
    heap::ClearFailure();
    ClearPageAllocFailure();
    heap::Stats h = heap::GetStats();
    EXPECT_EQ(h.allocations, heap_.allocations);
    EXPECT_EQ(h.bytes_in_use, heap_.bytes_in_use);
    EXPECT_EQ(h.pages, heap_.pages);
    EXPECT_EQ(GetPhysStats().free_pages, phys_.free_pages);
  }
  heap::Stats heap_{};
  PhysStats phys_{};
};

TEST_F(HeapTest, EverySmallSizeIsAlignedWritableAndDistinct) {
  std::vector<std::pair<u8*, usize>> live;
  for (usize size = 0; size <= heap::kMaxSmallSize + 64; size += 7) {
    auto* p = static_cast<u8*>(lib::Allocate(size));
    ASSERT_NE(p, nullptr) << size;
    EXPECT_EQ(reinterpret_cast<uptr>(p) % lib::kDefaultAlign, 0u) << size;
    std::memset(p, static_cast<int>(size & 0xff), size);
    live.emplace_back(p, size);
  }
  // Nothing overlapped: every byte still holds what its own allocation wrote.
  for (auto [p, size] : live) {
    for (usize i = 0; i < size; ++i) ASSERT_EQ(p[i], static_cast<u8>(size & 0xff)) << size;
  }
  for (auto [p, size] : live) lib::Free(p);
}

TEST_F(HeapTest, AlignedRequestsAreHonoured) {
  std::vector<void*> live;
  for (usize align = 1; align <= kPageSize; align *= 2) {
    for (usize size : {usize{1}, usize{24}, usize{100}, usize{3000}, usize{5000}}) {
      void* p = lib::Allocate(size, align);
      ASSERT_NE(p, nullptr) << size << "@" << align;
      EXPECT_EQ(reinterpret_cast<uptr>(p) % align, 0u) << size << "@" << align;
      std::memset(p, 1, size);
      live.push_back(p);
    }
  }
  for (void* p : live) lib::Free(p);
}

TEST_F(HeapTest, UnservableAlignmentsFail) {
  usize failures = heap::GetStats().failures;
  EXPECT_EQ(lib::Allocate(16, 3), nullptr);
  EXPECT_EQ(lib::Allocate(16, 2 * kPageSize), nullptr);
  EXPECT_EQ(lib::Allocate(16, 0), nullptr);
  EXPECT_EQ(heap::GetStats().failures, failures + 3);
}

TEST_F(HeapTest, LargeAllocationsAreWholePages) {
  void* a = lib::Allocate(heap::kMaxSmallSize + 1);
  void* b = lib::Allocate(1 << 20);
  void* c = lib::Allocate(kPageSize << kMaxOrder);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(reinterpret_cast<uptr>(a) % kPageSize, 0u);
  std::memset(b, 0x11, 1 << 20);
  std::memset(c, 0x22, kPageSize << kMaxOrder);
  EXPECT_EQ(heap::GetStats().pages - heap_.pages, 1u + 256u + 1024u);
  // Bigger than the largest buddy block: refused, not a crash.
  EXPECT_EQ(lib::Allocate((kPageSize << kMaxOrder) + 1), nullptr);
  lib::Free(a);
  lib::Free(b);
  lib::Free(c);
}

TEST_F(HeapTest, ManyObjectsSpanSlabsAndEmptySlabsGoBack) {
  std::mt19937_64 rng(3);
  std::vector<void*> live;
  for (int i = 0; i < 20000; ++i) {
    usize size = 1 + rng() % 700;
    void* p = lib::Allocate(size);
    ASSERT_NE(p, nullptr);
    std::memset(p, 0x33, size);
    live.push_back(p);
  }
  EXPECT_GT(heap::GetStats().pages, heap_.pages + 100);
  EXPECT_EQ(heap::GetStats().allocations, heap_.allocations + live.size());
  std::shuffle(live.begin(), live.end(), rng);
  for (void* p : live) lib::Free(p);
}

TEST_F(HeapTest, ASlotFreedInAFullSlabIsReusedFirst) {
  // 64 objects of 2048 bytes fill several slabs; the last one is partly used.
  std::vector<void*> live;
  live.reserve(64);
  for (int i = 0; i < 64; ++i) live.push_back(lib::Allocate(2048));
  usize pages = heap::GetStats().pages;
  void* hole = live[10];
  lib::Free(hole);
  void* again = lib::Allocate(2048);
  EXPECT_EQ(again, hole) << "the slab that just got a free slot must be found again";
  EXPECT_EQ(heap::GetStats().pages, pages);
  live[10] = again;
  for (void* p : live) lib::Free(p);
}

TEST_F(HeapTest, StatsCountSizeClassBytes) {
  void* p = lib::Allocate(20);  // the 32-byte class
  EXPECT_EQ(heap::GetStats().bytes_in_use, heap_.bytes_in_use + 32);
  EXPECT_EQ(heap::GetStats().allocations, heap_.allocations + 1);
  lib::Free(p);
  lib::Free(nullptr);  // a no-op, as free(NULL)
}

TEST_F(HeapTest, InjectedFailuresReachTryNewAsEnomem) {
  struct Thing {
    explicit Thing(int v) : value(v) {}
    int value;
  };
  heap::FailAfter(2);
  Thing* a = lib::TryNew<Thing>(1).value();
  Thing* b = lib::TryNew<Thing>(2).value();
  auto c = lib::TryNew<Thing>(3);
  EXPECT_EQ(c.error(), Errno::kENOMEM);
  EXPECT_EQ(lib::Allocate(8), nullptr);
  heap::ClearFailure();
  EXPECT_EQ(a->value + b->value, 3);
  lib::Delete(a);
  lib::Delete(b);
}

TEST_F(HeapTest, PageAllocatorExhaustionIsANullNotACrash) {
  FailPageAllocAfter(0);
  EXPECT_EQ(lib::Allocate(100), nullptr);          // needs a new slab
  EXPECT_EQ(lib::Allocate(64ul * 1024), nullptr);  // needs pages
  ClearPageAllocFailure();
}

TEST_F(HeapTest, FreedObjectsArePoisoned) {
  auto* p = static_cast<u8*>(lib::Allocate(64));
  auto* keep = lib::Allocate(64);  // keeps the slab alive after p is freed
  std::memset(p, 0, 64);
  lib::Free(p);
  // Reading freed memory is what a use-after-free does; the poison makes it visible.
  EXPECT_EQ(p[10], 0x6b);
  lib::Free(keep);
}

class HeapDeathTest : public testing::Test {
 protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

TEST_F(HeapDeathTest, DoubleFreeOfASmallObjectPanics) {
  EXPECT_DEATH(
      {
        void* keep = lib::Allocate(48);
        void* p = lib::Allocate(48);
        lib::Free(p);
        lib::Free(p);
        lib::Free(keep);
      },
      "KERNEL PANIC: heap: Free\\(.*\\): double free of a 48-byte object");
}

TEST_F(HeapDeathTest, FreeOfAnInteriorPointerPanics) {
  EXPECT_DEATH(
      {
        auto* p = static_cast<u8*>(lib::Allocate(128));
        lib::Free(p + 16);
      },
      "not the start of a 128-byte object");
}

TEST_F(HeapDeathTest, DoubleFreeOfALargeAllocationPanics) {
  EXPECT_DEATH(
      {
        void* p = lib::Allocate(3 * kPageSize);
        lib::Free(p);
        lib::Free(p);
      },
      "heap: Free\\(.*\\): not a live heap allocation");
}

}  // namespace
}  // namespace kernel::mm
