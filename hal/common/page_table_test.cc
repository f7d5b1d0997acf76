#include "hal/common/page_table.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <random>
#include <vector>

#include "kernel/mm/page_alloc.h"

namespace hal::common {
namespace {

using kernel::Errno;
using kernel::mm::GetPhysStats;

constexpr u64 kP = pte::kPresent;
constexpr u64 kW = pte::kWritable;
constexpr u64 kU = pte::kUser;
constexpr u64 kNx = pte::kNoExecute;
constexpr u64 kUserRw = kP | kW | kU;
constexpr u64 k4K = 0x1000;
constexpr u64 k2M = 0x20'0000;
constexpr u64 k1G = 0x4000'0000;
constexpr u64 k512G = 0x80'0000'0000;

struct Invalidation {
  u64 va;
  int level;
  u64 old_entry;
  u64 new_entry;
  bool operator==(const Invalidation&) const = default;
};

void Record(void* ctx, PageTableRoot, u64 va, int level, u64 old_entry, u64 new_entry) {
  static_cast<std::vector<Invalidation>*>(ctx)->push_back({va, level, old_entry, new_entry});
}

// Frames the tests map: the walker never touches leaf frames, so any page-aligned address
// below the arena's end will do.
PhysAddr Frame(u64 n) { return 0x10'0000 + n * k4K; }

usize FreePages() { return GetPhysStats().free_pages; }

class PageTableTest : public testing::Test {
 protected:
  void SetUp() override {
    before_root_ = FreePages();
    root_ = PageTable::CreateRoot().value();
    start_ = FreePages();
    ASSERT_EQ(before_root_ - start_, 1u);
  }
  void TearDown() override {
    kernel::mm::ClearPageAllocFailure();
    PageTable::Destroy(root_);
    EXPECT_EQ(FreePages(), before_root_) << "page-table pages leaked";
  }
  PageTable Table() { return PageTable(root_, TlbSync{&Record, &inval_}); }
  // Table pages in use besides the PML4.
  usize Tables() const { return start_ - FreePages(); }

  usize before_root_ = 0;
  usize start_ = 0;
  PageTableRoot root_;
  std::vector<Invalidation> inval_;
};

TEST_F(PageTableTest, MapQueryUnmapRoundTrip) {
  PageTable pt = Table();
  const u64 va = 0x40'1000;
  ASSERT_TRUE(pt.Map(va, Frame(7), kUserRw | kNx).ok());
  auto t = pt.Query(va);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t.value().phys, Frame(7));
  EXPECT_EQ(t.value().flags, kUserRw | kNx);
  EXPECT_EQ(pt.Query(va + k4K).error(), Errno::kENOENT);
  EXPECT_EQ(pt.Query(va - k4K).error(), Errno::kENOENT);

  auto gone = pt.Unmap(va);
  ASSERT_TRUE(gone.ok());
  EXPECT_EQ(gone.value().phys, Frame(7));
  EXPECT_EQ(gone.value().flags, kUserRw | kNx);
  EXPECT_EQ(pt.Query(va).error(), Errno::kENOENT);
  EXPECT_EQ(pt.Unmap(va).error(), Errno::kENOENT);
}

TEST_F(PageTableTest, OneMappingNeedsThreeTablesAndGivesThemBack) {
  PageTable pt = Table();
  ASSERT_TRUE(pt.Map(0x1000, Frame(1), kUserRw).ok());
  EXPECT_EQ(Tables(), 3u);  // PDPT, PD, PT
  ASSERT_TRUE(pt.Map(0x2000, Frame(2), kUserRw).ok());
  EXPECT_EQ(Tables(), 3u);
  ASSERT_TRUE(pt.Unmap(0x1000).ok());
  EXPECT_EQ(Tables(), 3u);  // the page table still holds 0x2000
  ASSERT_TRUE(pt.Unmap(0x2000).ok());
  EXPECT_EQ(Tables(), 0u);
}

struct Boundary {
  u64 at;
  usize tables;  // for one page on each side
};

TEST_F(PageTableTest, RangesAcrossTableBoundaries) {
  PageTable pt = Table();
  for (Boundary b : {Boundary{k2M, 4}, Boundary{k1G, 5}, Boundary{k512G, 6},
                     Boundary{7 * k512G + 3 * k1G + 5 * k2M, 4}}) {
    SCOPED_TRACE(b.at);
    for (u64 i = 0; i < 4; ++i) {
      ASSERT_TRUE(pt.Map(b.at - 2 * k4K + i * k4K, Frame(i), kUserRw).ok());
    }
    EXPECT_EQ(Tables(), b.tables);
    for (u64 i = 0; i < 4; ++i) {
      EXPECT_EQ(pt.Query(b.at - 2 * k4K + i * k4K).value().phys, Frame(i));
    }
    std::vector<u64> seen;
    auto collect = [](void* c, u64 va, const Translation&) {
      static_cast<std::vector<u64>*>(c)->push_back(va);
      return true;
    };
    ASSERT_TRUE(pt.UnmapRange(b.at - 4 * k4K, 8 * k4K, collect, &seen).ok());
    EXPECT_EQ(seen, (std::vector<u64>{b.at - 2 * k4K, b.at - k4K, b.at, b.at + k4K}));
    EXPECT_EQ(Tables(), 0u);
  }
}

TEST_F(PageTableTest, TheTopOfTheUserHalfIsMappable) {
  PageTable pt = Table();
  const u64 last = kUserEnd - k4K;
  ASSERT_TRUE(pt.Map(last, Frame(1), kUserRw).ok());
  EXPECT_EQ(pt.Query(last).value().phys, Frame(1));
  ASSERT_TRUE(pt.UnmapRange(last, k4K, nullptr, nullptr).ok());
  EXPECT_EQ(Tables(), 0u);
}

TEST_F(PageTableTest, BadAddressesAreEinval) {
  PageTable pt = Table();
  const u64 bad[] = {
      0,                         // below kUserMin: page zero is never mapped
      0x1001,                    // unaligned
      0x40'0800,                 // unaligned
      kUserEnd,                  // the first non-canonical address
      0x1234'5678'9abc'd000ull,  // non-canonical
      0xffff'8000'0000'0000ull,  // kernel half
      0xffff'8880'0000'0000ull,  // the direct map
      0xffff'ffff'8000'0000ull,  // the kernel image
      0xffff'ffff'ffff'f000ull,  // the last page
  };
  for (u64 va : bad) {
    SCOPED_TRACE(va);
    EXPECT_EQ(pt.Map(va, Frame(1), kUserRw).error(), Errno::kEINVAL);
    EXPECT_EQ(pt.Unmap(va).error(), Errno::kEINVAL);
    EXPECT_EQ(pt.Protect(va, kUserRw).error(), Errno::kEINVAL);
    EXPECT_EQ(pt.Query(va).error(), Errno::kEINVAL);
  }
  EXPECT_EQ(Tables(), 0u) << "a rejected call allocated tables";
}

TEST_F(PageTableTest, BadFramesAndFlagsAreEinval) {
  PageTable pt = Table();
  const u64 va = 0x10'0000;
  EXPECT_EQ(pt.Map(va, 0, kUserRw).error(), Errno::kEINVAL);                  // frame 0
  EXPECT_EQ(pt.Map(va, Frame(1) + 8, kUserRw).error(), Errno::kEINVAL);       // unaligned
  EXPECT_EQ(pt.Map(va, u64{1} << 52, kUserRw).error(), Errno::kEINVAL);       // beyond 52 bits
  EXPECT_EQ(pt.Map(va, Frame(1), kUserRw | 0x5000).error(), Errno::kEINVAL);  // address bits
  EXPECT_EQ(pt.Map(va, Frame(1), kUserRw | pte::kHuge).error(), Errno::kEINVAL);
  EXPECT_EQ(Tables(), 0u);
  ASSERT_TRUE(pt.Map(va, Frame(1), kUserRw).ok());
  EXPECT_EQ(pt.Protect(va, kUserRw | 0x2000).error(), Errno::kEINVAL);
  EXPECT_EQ(pt.Protect(va, kUserRw | pte::kHuge).error(), Errno::kEINVAL);
  EXPECT_EQ(pt.Query(va).value().flags, kUserRw);
  ASSERT_TRUE(pt.Unmap(va).ok());
}

TEST_F(PageTableTest, BadRangesAreEinval) {
  PageTable pt = Table();
  auto never = [](void*, u64, const Translation&) { return true; };
  EXPECT_EQ(pt.UnmapRange(0x1000, 0x800, nullptr, nullptr).error(), Errno::kEINVAL);
  EXPECT_EQ(pt.UnmapRange(0x1800, 0x1000, nullptr, nullptr).error(), Errno::kEINVAL);
  EXPECT_EQ(pt.UnmapRange(0, 0x2000, nullptr, nullptr).error(), Errno::kEINVAL);
  EXPECT_EQ(pt.UnmapRange(kUserEnd - k4K, 2 * k4K, nullptr, nullptr).error(), Errno::kEINVAL);
  EXPECT_EQ(pt.UnmapRange(0x1000, ~u64{0} & ~(k4K - 1), nullptr, nullptr).error(),
            Errno::kEINVAL);  // wraps around
  EXPECT_EQ(pt.UnmapRange(0xffff'8000'0000'0000ull, k4K, nullptr, nullptr).error(), Errno::kEINVAL);
  EXPECT_EQ(pt.ForEach(0x1000, 0x1800, never, nullptr).error(), Errno::kEINVAL);
  EXPECT_EQ(pt.ForEach(kUserEnd, k4K, never, nullptr).error(), Errno::kEINVAL);
  EXPECT_TRUE(pt.UnmapRange(0x1000, 0, nullptr, nullptr).ok());  // empty range
  EXPECT_TRUE(pt.ForEach(0x1000, kUserEnd - 0x1000, never, nullptr).ok());
}

TEST_F(PageTableTest, OutOfTablePagesIsEnomemWithNothingLeftBehind) {
  PageTable pt = Table();
  // Fail the first, second and third table allocation of a mapping that needs three.
  for (usize budget = 0; budget < 3; ++budget) {
    SCOPED_TRACE(budget);
    kernel::mm::FailPageAllocAfter(budget);
    EXPECT_EQ(pt.Map(0x7000'0000'0000, Frame(1), kUserRw).error(), Errno::kENOMEM);
    kernel::mm::ClearPageAllocFailure();
    EXPECT_EQ(Tables(), 0u);
    EXPECT_EQ(pt.Query(0x7000'0000'0000).error(), Errno::kENOENT);
  }
  // With the PDPT already there, a failure takes back only what this call made.
  ASSERT_TRUE(pt.Map(0x7000'0000'0000, Frame(1), kUserRw).ok());
  EXPECT_EQ(Tables(), 3u);
  kernel::mm::FailPageAllocAfter(1);
  EXPECT_EQ(pt.Map(0x7000'4000'0000, Frame(2), kUserRw).error(), Errno::kENOMEM);
  kernel::mm::ClearPageAllocFailure();
  EXPECT_EQ(Tables(), 3u);
  EXPECT_EQ(pt.Query(0x7000'0000'0000).value().phys, Frame(1));
  // A mapping whose tables all exist needs no allocation at all.
  kernel::mm::FailPageAllocAfter(0);
  EXPECT_TRUE(pt.Map(0x7000'0000'1000, Frame(3), kUserRw).ok());
  kernel::mm::ClearPageAllocFailure();
  ASSERT_TRUE(pt.UnmapRange(0x7000'0000'0000, 2 * k4K, nullptr, nullptr).ok());
  EXPECT_EQ(Tables(), 0u);
}

TEST_F(PageTableTest, ProtectKeepsTheFrameAndTheAccessedAndDirtyBits) {
  PageTable pt = Table();
  const u64 va = 0x5000;
  ASSERT_TRUE(pt.Map(va, Frame(4), kUserRw | pte::kAccessed | pte::kDirty).ok());
  ASSERT_TRUE(pt.Protect(va, kP | kU | kNx).ok());
  Translation t = pt.Query(va).value();
  EXPECT_EQ(t.phys, Frame(4));
  EXPECT_EQ(t.flags, kP | kU | kNx | pte::kAccessed | pte::kDirty);
  EXPECT_EQ(pt.Protect(0x6000, kUserRw).error(), Errno::kENOENT);
  ASSERT_TRUE(pt.Unmap(va).ok());
  EXPECT_EQ(pt.Protect(va, kUserRw).error(), Errno::kENOENT);
}

TEST_F(PageTableTest, ChangesToPresentEntriesAreInvalidated) {
  PageTable pt = Table();
  const u64 va = 0x3000;
  const u64 rw = Frame(1) | kUserRw;
  ASSERT_TRUE(pt.Map(va, Frame(1), kUserRw).ok());
  EXPECT_TRUE(inval_.empty()) << "a fresh mapping cannot be cached";
  ASSERT_TRUE(pt.Map(va, Frame(1), kUserRw).ok());
  EXPECT_TRUE(inval_.empty()) << "an identical mapping changes nothing";
  ASSERT_TRUE(pt.Map(va, Frame(2), kUserRw).ok());
  ASSERT_TRUE(pt.Protect(va, kP | kU).ok());
  ASSERT_TRUE(pt.Protect(va, kP | kU).ok());  // no change, no invalidation
  ASSERT_TRUE(pt.Unmap(va).ok());
  const std::vector<Invalidation> want = {
      {va, 0, rw, Frame(2) | kUserRw},
      {va, 0, Frame(2) | kUserRw, Frame(2) | kP | kU},
      {va, 0, Frame(2) | kP | kU, 0},
  };
  ASSERT_GE(inval_.size(), want.size());
  EXPECT_EQ(std::vector<Invalidation>(inval_.begin(), inval_.begin() + 3), want);
  // Then the emptied tables, bottom up, each entry invalidated before its table is freed.
  ASSERT_EQ(inval_.size(), 6u);
  for (int level = 1; level <= 3; ++level) {
    const Invalidation& i = inval_[2 + level];
    EXPECT_EQ(i.level, level);
    EXPECT_EQ(i.old_entry & pte::kFlagsMask, kTableEntryFlags);
    EXPECT_EQ(i.new_entry, 0u);
  }
}

TEST_F(PageTableTest, NonPresentMappingsKeepTheirFrame) {
  // PROT_NONE: the entry stays (with its frame) but is not present.
  PageTable pt = Table();
  const u64 va = 0x8000;
  ASSERT_TRUE(pt.Map(va, Frame(9), kUserRw).ok());
  ASSERT_TRUE(pt.Protect(va, kU).ok());
  ASSERT_EQ(inval_.size(), 1u);  // it was present: the old translation must go
  Translation t = pt.Query(va).value();
  EXPECT_EQ(t.phys, Frame(9));
  EXPECT_EQ(t.flags, kU);
  ASSERT_TRUE(pt.Protect(va, kUserRw).ok());
  EXPECT_EQ(inval_.size(), 1u) << "a non-present entry is never cached";
  ASSERT_TRUE(pt.Protect(va, 0).ok());
  std::vector<std::pair<u64, Translation>> seen;
  auto collect = [](void* c, u64 v, const Translation& tr) {
    static_cast<std::vector<std::pair<u64, Translation>>*>(c)->push_back({v, tr});
    return true;
  };
  ASSERT_TRUE(pt.ForEach(0x1000, 0x10000, collect, &seen).ok());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].second.phys, Frame(9));
  EXPECT_EQ(seen[0].second.flags, 0u);
  seen.clear();
  ASSERT_TRUE(pt.UnmapRange(0x1000, 0x10000, collect, &seen).ok());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].second.phys, Frame(9));
  EXPECT_EQ(Tables(), 0u);
}

TEST_F(PageTableTest, VisitorsRunInAddressOrderAndCanStop) {
  PageTable pt = Table();
  const u64 base = k2M - 5 * k4K;
  for (u64 i = 0; i < 10; ++i) ASSERT_TRUE(pt.Map(base + i * k4K, Frame(i), kUserRw).ok());
  struct Seen {
    std::vector<u64> vas;
    usize stop_after;
  } seen{{}, 4};
  auto visit = [](void* c, u64 va, const Translation& t) {
    auto* s = static_cast<Seen*>(c);
    EXPECT_EQ(t.phys, Frame((va - (k2M - 5ul * 0x1000)) / 0x1000));
    s->vas.push_back(va);
    return s->vas.size() < s->stop_after;
  };
  ASSERT_TRUE(pt.ForEach(base + k4K, 8 * k4K, visit, &seen).ok());
  EXPECT_EQ(seen.vas,
            (std::vector<u64>{base + k4K, base + 2 * k4K, base + 3 * k4K, base + 4 * k4K}));
  seen = {{}, 6};
  ASSERT_TRUE(pt.UnmapRange(base, 10 * k4K, visit, &seen).ok());
  EXPECT_EQ(seen.vas.size(), 6u);
  // The visitor saw the sixth page after it was unmapped; the rest stay.
  EXPECT_EQ(pt.Query(base + 5 * k4K).error(), Errno::kENOENT);
  for (u64 i = 6; i < 10; ++i) EXPECT_TRUE(pt.Query(base + i * k4K).ok()) << i;
  seen = {{}, 100};
  ASSERT_TRUE(pt.UnmapRange(base, 10 * k4K, visit, &seen).ok());
  EXPECT_EQ(seen.vas.size(), 4u);
  EXPECT_EQ(Tables(), 0u);
}

TEST_F(PageTableTest, UnmapRangeFreesTheFrameSafelyFromTheVisitor) {
  // The pattern the kernel uses: the visitor drops the frame's reference.
  PageTable pt = Table();
  usize before = FreePages();
  for (u64 i = 0; i < 3; ++i) {
    PhysAddr pa = kernel::mm::AllocPage().value();
    ASSERT_TRUE(pt.Map(0x10000 + i * k4K, pa, kUserRw).ok());
  }
  auto put = [](void*, u64, const Translation& t) {
    kernel::mm::PutPage(t.phys);
    return true;
  };
  ASSERT_TRUE(pt.UnmapRange(0x10000, 3 * k4K, put, nullptr).ok());
  EXPECT_EQ(FreePages(), before);
}

TEST_F(PageTableTest, DestroyFreesEveryTable) {
  // A second address space, scattered over many PML4 entries, destroyed while populated.
  PageTableRoot other = PageTable::CreateRoot().value();
  PageTable pt(other);
  for (u64 i = 0; i < 64; ++i) {
    ASSERT_TRUE(pt.Map(kUserMin + i * (k512G + k1G + k2M), Frame(i), kUserRw).ok());
  }
  EXPECT_GT(Tables(), 64u * 3);
  PageTable::Destroy(other);
  EXPECT_EQ(Tables(), 0u);
}

// A random sequence of operations checked against a std::map of the expected leaf entries,
// with allocation failures injected along the way.
TEST_F(PageTableTest, RandomOperationsMatchAModel) {
  PageTable pt = Table();
  std::mt19937_64 rng(2024);
  // Windows of 32 pages around the places where tables meet.
  const u64 windows[] = {kUserMin,
                         k2M - 16 * k4K,
                         k1G - 16 * k4K,
                         k512G - 16 * k4K,
                         3 * k512G + 7 * k1G - 16 * k4K,
                         kUserEnd - 32 * k4K};
  auto random_va = [&] { return windows[rng() % std::size(windows)] + (rng() % 32) * k4K; };
  auto random_flags = [&] {
    u64 f = (rng() % 10 != 0 ? kP : 0);
    for (u64 bit : {kW, kU, kNx, pte::kSoftware0, pte::kAccessed, pte::kDirty}) {
      if (rng() % 2) f |= bit;
    }
    return f;
  };
  std::map<u64, u64> model;  // va -> entry
  auto compare_all = [&] {
    std::vector<std::pair<u64, u64>> seen;
    auto collect = [](void* c, u64 va, const Translation& t) {
      static_cast<std::vector<std::pair<u64, u64>>*>(c)->push_back({va, t.phys | t.flags});
      return true;
    };
    ASSERT_TRUE(pt.ForEach(kUserMin, kUserEnd - kUserMin, collect, &seen).ok());
    ASSERT_EQ(seen, (std::vector<std::pair<u64, u64>>(model.begin(), model.end())));
  };

  for (int step = 0; step < 20000; ++step) {
    u64 va = random_va();
    switch (rng() % 6) {
      case 0:
      case 1: {  // map, sometimes without memory for tables
        PhysAddr pa = Frame(1 + rng() % 4096);
        u64 flags = random_flags();
        bool starve = rng() % 8 == 0;
        if (starve) kernel::mm::FailPageAllocAfter(rng() % 3);
        auto r = pt.Map(va, pa, flags);
        kernel::mm::ClearPageAllocFailure();
        if (r.ok()) {
          model[va] = pa | flags;
        } else {
          ASSERT_TRUE(starve);
          ASSERT_EQ(r.error(), Errno::kENOMEM);
        }
        break;
      }
      case 2: {  // unmap one
        auto r = pt.Unmap(va);
        auto it = model.find(va);
        if (it == model.end()) {
          ASSERT_EQ(r.error(), Errno::kENOENT);
        } else {
          ASSERT_EQ(r.value().phys | r.value().flags, it->second);
          model.erase(it);
        }
        break;
      }
      case 3: {  // protect
        u64 flags = random_flags();
        auto r = pt.Protect(va, flags);
        auto it = model.find(va);
        if (it == model.end()) {
          ASSERT_EQ(r.error(), Errno::kENOENT);
        } else {
          ASSERT_TRUE(r.ok());
          u64 kept = it->second & (pte::kAccessed | pte::kDirty);
          it->second = (it->second & pte::kAddressMask) | flags | kept;
        }
        break;
      }
      case 4: {  // query
        auto r = pt.Query(va);
        auto it = model.find(va);
        if (it == model.end()) {
          ASSERT_EQ(r.error(), Errno::kENOENT);
        } else {
          ASSERT_EQ(r.value().phys | r.value().flags, it->second);
        }
        break;
      }
      default: {  // unmap a range of up to 40 pages
        u64 len = (1 + rng() % 40) * k4K;
        if (va + len > kUserEnd) len = kUserEnd - va;
        std::vector<std::pair<u64, u64>> seen;
        auto collect = [](void* c, u64 v, const Translation& t) {
          static_cast<std::vector<std::pair<u64, u64>>*>(c)->push_back({v, t.phys | t.flags});
          return true;
        };
        ASSERT_TRUE(pt.UnmapRange(va, len, collect, &seen).ok());
        std::vector<std::pair<u64, u64>> want(model.lower_bound(va), model.lower_bound(va + len));
        ASSERT_EQ(seen, want);
        model.erase(model.lower_bound(va), model.lower_bound(va + len));
        break;
      }
    }
    if (step % 1000 == 0) compare_all();
  }
  compare_all();
  ASSERT_TRUE(pt.UnmapRange(kUserMin, kUserEnd - kUserMin, nullptr, nullptr).ok());
  EXPECT_EQ(Tables(), 0u) << "empty tables were not all freed";
}

}  // namespace
}  // namespace hal::common
