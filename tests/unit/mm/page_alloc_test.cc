#include "kernel/mm/page_alloc.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <random>
#include <utility>
#include <vector>

#include <hal/phys.h>

namespace kernel::mm {
namespace {

// All tests share the binary's one machine; each checks that it gives back what it took and
// that the free lists return to exactly their shape at the start (full coalescing).
class PageAllocTest : public testing::Test {
 protected:
  void SetUp() override { start_ = GetPhysStats(); }
  void TearDown() override {
    ClearPageAllocFailure();
    PhysStats now = GetPhysStats();
    EXPECT_EQ(now.free_pages, start_.free_pages) << "the test leaked pages";
    for (unsigned k = 0; k <= kMaxOrder; ++k) {
      EXPECT_EQ(now.free_blocks[k], start_.free_blocks[k]) << "order " << k;
    }
  }
  PhysStats start_{};
};

struct Block {
  PhysAddr pa;
  unsigned order;
};

void ExpectDisjoint(std::vector<Block> blocks) {
  std::sort(blocks.begin(), blocks.end(),
            [](const Block& a, const Block& b) { return a.pa < b.pa; });
  for (size_t i = 1; i < blocks.size(); ++i) {
    ASSERT_LE(blocks[i - 1].pa + (kPageSize << blocks[i - 1].order), blocks[i].pa)
        << "blocks overlap";
  }
}

bool InUsableRam(PhysAddr pa, u64 bytes) {
  for (const hal::MemoryRange& r : hal::Phys::UsableRanges()) {
    if (pa >= r.base && pa + bytes <= r.base + r.size) return true;
  }
  return false;
}

TEST_F(PageAllocTest, ManagesUsableRamMinusThePageArray) {
  u64 usable = 0;
  for (const hal::MemoryRange& r : hal::Phys::UsableRanges()) usable += r.size / kPageSize;
  u64 frames = hal::Phys::PhysEnd() / kPageSize;
  u64 array_pages = AlignUp(frames * sizeof(Page), kPageSize) / kPageSize;
  PhysStats s = GetPhysStats();
  EXPECT_EQ(s.total_pages, usable - array_pages);
  EXPECT_LE(s.free_pages, s.total_pages);
  EXPECT_GT(s.free_pages, s.total_pages / 2);
}

TEST_F(PageAllocTest, BlocksOfEveryOrderAreAlignedWritableRam) {
  for (unsigned k = 0; k <= kMaxOrder; ++k) {
    auto r = AllocPages(k);
    ASSERT_TRUE(r.ok()) << "order " << k;
    PhysAddr pa = r.value();
    EXPECT_NE(pa, 0u);
    EXPECT_TRUE(IsAligned(pa, kPageSize << k)) << "order " << k << " at " << pa;
    EXPECT_TRUE(InUsableRam(pa, kPageSize << k));
    EXPECT_EQ(PageRefCount(pa), 1u);
    std::memset(hal::Phys::ToVirt(pa), 0x5a, kPageSize << k);
    FreePages(pa, k);
  }
}

TEST_F(PageAllocTest, OrdersBeyondTheMaximumAreEnomem) {
  usize failures = GetPhysStats().failures;
  EXPECT_EQ(AllocPages(kMaxOrder + 1).error(), Errno::kENOMEM);
  EXPECT_EQ(AllocPages(63).error(), Errno::kENOMEM);
  EXPECT_EQ(GetPhysStats().failures, failures + 2);
}

TEST_F(PageAllocTest, ExhaustionGivesEnomemAndRandomOrderFreeCoalescesFully) {
  std::vector<PhysAddr> pages;
  for (;;) {
    auto r = AllocPage();
    if (r.is_error()) {
      EXPECT_EQ(r.error(), Errno::kENOMEM);
      break;
    }
    pages.push_back(r.value());
  }
  EXPECT_EQ(pages.size(), start_.free_pages);
  EXPECT_EQ(GetPhysStats().free_pages, 0u);
  for (unsigned k = 0; k <= kMaxOrder; ++k) EXPECT_EQ(AllocPages(k).error(), Errno::kENOMEM);

  std::vector<Block> blocks;
  blocks.reserve(pages.size());
  for (PhysAddr pa : pages) blocks.push_back({pa, 0});
  ExpectDisjoint(blocks);
  for (PhysAddr pa : pages) {
    EXPECT_GE(pa, hal::Phys::UsableRanges()[0].base);  // nothing below usable RAM
  }

  std::mt19937_64 rng(42);
  std::shuffle(pages.begin(), pages.end(), rng);
  for (PhysAddr pa : pages) FreePage(pa);
  // TearDown checks that every order's free-block count is back to the start.
}

TEST_F(PageAllocTest, MixedOrdersUnderFragmentation) {
  std::mt19937_64 rng(7);
  std::vector<Block> live;
  auto fill = [&] {
    // Random orders, order k with probability about 2^-(k+1), until even a single page is
    // refused; the larger orders start failing long before that.
    for (;;) {
      unsigned k = static_cast<unsigned>(std::countr_zero(rng() | (u64{1} << kMaxOrder)));
      auto r = AllocPages(k);
      if (r.ok()) {
        ASSERT_TRUE(IsAligned(r.value(), kPageSize << k));
        live.push_back({r.value(), k});
        continue;
      }
      ASSERT_EQ(r.error(), Errno::kENOMEM);
      auto one = AllocPage();
      if (one.is_error()) break;
      live.push_back({one.value(), 0});
    }
  };
  fill();
  ExpectDisjoint(live);
  u64 held = 0;
  for (const Block& b : live) held += u64{1} << b.order;
  EXPECT_EQ(held, start_.free_pages);

  // Free every other block (by random pick), leaving holes, then fill the holes again.
  std::shuffle(live.begin(), live.end(), rng);
  size_t half = live.size() / 2;
  for (size_t i = half; i < live.size(); ++i) FreePages(live[i].pa, live[i].order);
  live.resize(half);
  fill();
  ExpectDisjoint(live);

  std::shuffle(live.begin(), live.end(), rng);
  for (const Block& b : live) FreePages(b.pa, b.order);
}

TEST_F(PageAllocTest, ReferenceCountsFreeOnTheLastPut) {
  PhysAddr pa = AllocPage().value();
  usize free_after_alloc = GetPhysStats().free_pages;
  EXPECT_EQ(PageRefCount(pa), 1u);
  GetPage(pa);
  GetPage(pa);
  EXPECT_EQ(PageRefCount(pa), 3u);
  PutPage(pa);
  FreePage(pa);  // FreePages drops one reference, like any PutPage
  EXPECT_EQ(PageRefCount(pa), 1u);
  EXPECT_EQ(GetPhysStats().free_pages, free_after_alloc) << "freed while still referenced";
  PutPage(pa);
  EXPECT_EQ(PageRefCount(pa), 0u);
  EXPECT_EQ(GetPhysStats().free_pages, free_after_alloc + 1);
}

TEST_F(PageAllocTest, ReferenceCountsOnLargerBlocksLiveInTheHead) {
  PhysAddr pa = AllocPages(3).value();
  GetPage(pa);
  EXPECT_EQ(PageRefCount(pa), 2u);
  EXPECT_EQ(PageRefCount(pa + kPageSize), 0u);
  FreePages(pa, 3);
  EXPECT_EQ(PageRefCount(pa), 1u);
  PutPage(pa);
}

TEST_F(PageAllocTest, ZeroedAllocationsAreZero) {
  PhysAddr dirty = AllocPages(2).value();
  std::memset(hal::Phys::ToVirt(dirty), 0xa5, 4 * kPageSize);
  FreePages(dirty, 2);
  // The buddy hands back the most recently freed block first, so this usually reuses it.
  PhysAddr pa = AllocZeroedPages(2).value();
  const auto* bytes = static_cast<const u8*>(hal::Phys::ToVirt(pa));
  EXPECT_TRUE(std::all_of(bytes, bytes + 4 * kPageSize, [](u8 b) { return b == 0; }));
  FreePages(pa, 2);
}

TEST_F(PageAllocTest, InjectedFailuresAreEnomemAndClear) {
  FailPageAllocAfter(2);
  PhysAddr a = AllocPage().value();
  PhysAddr b = AllocZeroedPage().value();
  EXPECT_EQ(AllocPage().error(), Errno::kENOMEM);
  EXPECT_EQ(AllocZeroedPages(4).error(), Errno::kENOMEM);
  ClearPageAllocFailure();
  PhysAddr c = AllocPage().value();
  FreePage(a);
  FreePage(b);
  FreePage(c);
}

TEST_F(PageAllocTest, PageOfAndPageAddressAreInverse) {
  PhysAddr pa = AllocPages(1).value();
  EXPECT_EQ(PageAddress(PageOf(pa)), pa);
  EXPECT_EQ(PageAddress(PageOf(pa + kPageSize + 17)), pa + kPageSize);
  EXPECT_EQ(PageOf(pa).order, 1u);
  FreePages(pa, 1);
}

// Death tests re-execute the binary ("threadsafe" style): a forked child would share the
// MAP_SHARED arena, and with it the parent's free lists.
class PageAllocDeathTest : public testing::Test {
 protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

TEST_F(PageAllocDeathTest, DoubleFreePanics) {
  EXPECT_DEATH(
      {
        PhysAddr pa = AllocPage().value();
        FreePage(pa);
        FreePage(pa);
      },
      "KERNEL PANIC: page_alloc: FreePages\\(0x[0-9a-f]+\\): the page is free");
}

TEST_F(PageAllocDeathTest, PutOnATailPagePanics) {
  EXPECT_DEATH(
      {
        PhysAddr pa = AllocPages(2).value();
        PutPage(pa + kPageSize);
      },
      "not the head of an allocated block");
}

TEST_F(PageAllocDeathTest, FreeWithTheWrongOrderPanics) {
  EXPECT_DEATH(
      {
        PhysAddr pa = AllocPages(2).value();
        FreePages(pa, 1);
      },
      "allocated with order 2");
}

TEST_F(PageAllocDeathTest, GetOnAFreePagePanics) {
  EXPECT_DEATH(
      {
        PhysAddr pa = AllocPage().value();
        FreePage(pa);
        GetPage(pa);
      },
      "GetPage\\(0x[0-9a-f]+\\): the page is free");
}

TEST_F(PageAllocDeathTest, FreeingReservedMemoryPanics) {
  EXPECT_DEATH(FreePage(0), "the page is reserved");
}

TEST_F(PageAllocDeathTest, FreeingAnUnalignedAddressPanics) {
  EXPECT_DEATH(
      {
        PhysAddr pa = AllocPage().value();
        FreePage(pa + 8);
      },
      "not a page address");
}

}  // namespace
}  // namespace kernel::mm
