#include "kernel/lib/intrusive_tree.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <random>
#include <vector>

namespace kernel::lib {
namespace {

struct Vma {
  int id = 0;
  TreeNode node;  // not first: exercises the container_of offset
};
using Tree = IntrusiveTree<Vma, &Vma::node>;

constexpr u64 kMax = ~u64{0};

// Brute force over the reference: the free ranges between sorted intervals.
std::vector<std::pair<u64, u64>> FreeRanges(const std::map<u64, u64>& ref) {
  std::vector<std::pair<u64, u64>> out;
  u64 cursor = 0;
  for (const auto& [start, end] : ref) {
    if (start > cursor) out.emplace_back(cursor, start);
    cursor = end;
  }
  out.emplace_back(cursor, kMax);  // [cursor, 2^64) clipped to what u64 can say
  return out;
}

std::optional<u64> BruteGap(const std::map<u64, u64>& ref, u64 size, u64 align, u64 lo, u64 hi,
                            bool highest) {
  std::optional<u64> best;
  for (auto [gs, ge] : FreeRanges(ref)) {
    u64 s = std::max(gs, lo), e = std::min(ge, hi);
    if (e <= s || e - s < size) continue;
    if (!highest) {
      unsigned __int128 a = ((static_cast<unsigned __int128>(s) + align - 1) / align) * align;
      if (a + size <= e && (!best || a < *best)) best = static_cast<u64>(a);
    } else {
      u64 a = (e - size) / align * align;
      if (a >= s && (!best || a > *best)) best = a;
    }
  }
  return best;
}

std::vector<u64> Starts(const Tree& t) {
  std::vector<u64> out;
  for (const Vma& v : t) out.push_back(v.node.start());
  return out;
}

TEST(IntrusiveTreeTest, EmptyTree) {
  Tree t;
  EXPECT_TRUE(t.empty());
  EXPECT_EQ(t.First(), nullptr);
  EXPECT_EQ(t.Last(), nullptr);
  EXPECT_EQ(t.Find(0), nullptr);
  EXPECT_EQ(t.LowerBound(0), nullptr);
  EXPECT_EQ(t.FindContaining(5), nullptr);
  EXPECT_EQ(t.FindFirstEndAfter(0), nullptr);
  EXPECT_EQ(t.begin(), t.end());
  EXPECT_EQ(t.FindGap(4096, 4096, 0, 1 << 20).value(), 0u);
  EXPECT_EQ(t.FindGapTopDown(4096, 4096, 0, 1 << 20).value(), (1u << 20) - 4096);
  EXPECT_TRUE(t.Verify());
}

TEST(IntrusiveTreeTest, OrderedMapOperations) {
  Vma v[5];
  Tree t;
  u64 keys[] = {50, 10, 40, 20, 30};
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(t.Insert(v[i], keys[i]).ok());
  EXPECT_EQ(Starts(t), (std::vector<u64>{10, 20, 30, 40, 50}));
  EXPECT_EQ(t.size(), 5u);
  EXPECT_EQ(t.Find(30), &v[4]);
  EXPECT_EQ(t.Find(31), nullptr);
  EXPECT_EQ(t.LowerBound(30), &v[4]);
  EXPECT_EQ(t.LowerBound(31), &v[2]);
  EXPECT_EQ(t.UpperBound(30), &v[2]);
  EXPECT_EQ(t.UpperBound(50), nullptr);
  EXPECT_EQ(t.LowerBound(0), &v[1]);
  EXPECT_EQ(t.First(), &v[1]);
  EXPECT_EQ(t.Last(), &v[0]);
  EXPECT_EQ(t.Next(v[1]), &v[3]);
  EXPECT_EQ(t.Prev(v[1]), nullptr);
  EXPECT_EQ(t.Next(v[0]), nullptr);
  // Backwards through the iterator.
  std::vector<u64> back;
  for (auto it = t.end(); it != t.begin();) back.push_back((--it)->node.key());
  EXPECT_EQ(back, (std::vector<u64>{50, 40, 30, 20, 10}));
  Vma extra;
  EXPECT_EQ(t.Insert(extra, 30).error(), Errno::kEEXIST);
  EXPECT_FALSE(extra.node.linked());
  t.Remove(v[4]);
  ASSERT_TRUE(t.Insert(extra, 30).ok());
  EXPECT_EQ(t.Find(30), &extra);
  EXPECT_TRUE(t.Verify());
  t.Clear();
  EXPECT_FALSE(v[0].node.linked());
}

TEST(IntrusiveTreeTest, DuplicateAndOverlappingRangesAreRejected) {
  Vma a, b;
  Tree t;
  ASSERT_TRUE(t.Insert(a, 0x1000, 0x3000).ok());
  EXPECT_EQ(t.Insert(b, 0x1000, 0x1000).error(), Errno::kEEXIST);  // same start
  EXPECT_EQ(t.Insert(b, 0x2000, 0x4000).error(), Errno::kEEXIST);  // tail overlap
  EXPECT_EQ(t.Insert(b, 0x0, 0x1001).error(), Errno::kEEXIST);     // head overlap
  EXPECT_EQ(t.Insert(b, 0x0, 0x8000).error(), Errno::kEEXIST);     // covers
  EXPECT_EQ(t.Insert(b, 0x2000, 0x2000).error(), Errno::kEEXIST);  // a point inside
  EXPECT_EQ(t.Insert(b, 0x5000, 0x4000).error(), Errno::kEINVAL);  // end < start
  EXPECT_FALSE(b.node.linked());
  ASSERT_TRUE(t.Insert(b, 0x3000, 0x4000).ok());  // adjacent is fine
  EXPECT_EQ(t.size(), 2u);
  EXPECT_TRUE(t.Verify());
  t.Clear();
}

TEST(IntrusiveTreeTest, IntervalLookups) {
  Vma v[3];
  Tree t;
  ASSERT_TRUE(t.Insert(v[0], 0x1000, 0x2000).ok());
  ASSERT_TRUE(t.Insert(v[1], 0x4000, 0x8000).ok());
  ASSERT_TRUE(t.Insert(v[2], 0x8000, 0x9000).ok());
  EXPECT_EQ(t.FindContaining(0x0fff), nullptr);
  EXPECT_EQ(t.FindContaining(0x1000), &v[0]);
  EXPECT_EQ(t.FindContaining(0x1fff), &v[0]);
  EXPECT_EQ(t.FindContaining(0x2000), nullptr);
  EXPECT_EQ(t.FindContaining(0x7fff), &v[1]);
  EXPECT_EQ(t.FindContaining(0x8000), &v[2]);
  EXPECT_EQ(t.FindContaining(0x9000), nullptr);
  EXPECT_EQ(t.FindFirstEndAfter(0), &v[0]);
  EXPECT_EQ(t.FindFirstEndAfter(0x1fff), &v[0]);
  EXPECT_EQ(t.FindFirstEndAfter(0x2000), &v[1]);  // in the hole: the next one
  EXPECT_EQ(t.FindFirstEndAfter(0x8fff), &v[2]);
  EXPECT_EQ(t.FindFirstEndAfter(0x9000), nullptr);
  EXPECT_EQ(t.FindFirstOverlap(0x2000, 0x4000), nullptr);
  EXPECT_EQ(t.FindFirstOverlap(0x2000, 0x4001), &v[1]);
  EXPECT_EQ(t.FindFirstOverlap(0x0, 0x10000), &v[0]);
  EXPECT_EQ(t.FindFirstOverlap(0x5000, 0x5000), nullptr);
  t.Clear();
}

TEST(IntrusiveTreeTest, GapSearchBothWays) {
  Vma v[3];
  Tree t;
  ASSERT_TRUE(t.Insert(v[0], 0x1000, 0x2000).ok());
  ASSERT_TRUE(t.Insert(v[1], 0x4000, 0x8000).ok());
  ASSERT_TRUE(t.Insert(v[2], 0x9000, 0xa000).ok());
  EXPECT_EQ(t.FindGap(0x1000, 0x1000, 0, 0x100000).value(), 0x0u);
  EXPECT_EQ(t.FindGap(0x1001, 0x1000, 0, 0x100000).value(), 0x2000u);
  EXPECT_EQ(t.FindGap(0x2000, 0x1000, 0, 0x100000).value(), 0x2000u);
  EXPECT_EQ(t.FindGap(0x2001, 0x1000, 0, 0x100000).value(), 0xa000u);
  EXPECT_EQ(t.FindGap(0x1000, 0x4000, 0x1000, 0x100000).value(), 0x8000u);  // alignment
  EXPECT_EQ(t.FindGap(0x1000, 0x10000, 0x1000, 0x100000).value(), 0x10000u);
  EXPECT_EQ(t.FindGapTopDown(0x1000, 0x4000, 0, 0x8000).value(), 0x0u);
  EXPECT_EQ(t.FindGap(0x1000, 0x1000, 0x8000, 0x100000).value(), 0x8000u);
  EXPECT_EQ(t.FindGap(0x1000, 0x1000, 0x2800, 0x100000).value(), 0x3000u);  // clipped by lo
  EXPECT_EQ(t.FindGapTopDown(0x1000, 0x1000, 0, 0x9000).value(), 0x8000u);
  EXPECT_EQ(t.FindGapTopDown(0x1000, 0x1000, 0, 0x8000).value(), 0x3000u);
  EXPECT_EQ(t.FindGapTopDown(0x2000, 0x1000, 0, 0x8000).value(), 0x2000u);
  EXPECT_EQ(t.FindGapTopDown(0x1000, 0x1000, 0, 0x1000).value(), 0x0u);
  EXPECT_EQ(t.FindGapTopDown(0x1000, 0x1000, 0, 0x100000).value(), 0xff000u);
  EXPECT_EQ(t.FindGapTopDown(0x1800, 0x1000, 0, 0x3800).value(), 0x2000u);
  // Nothing fits.
  EXPECT_EQ(t.FindGap(0x3000, 0x1000, 0, 0x9000).error(), Errno::kENOMEM);
  EXPECT_EQ(t.FindGapTopDown(0x3000, 0x1000, 0x1000, 0xa000).error(), Errno::kENOMEM);
  EXPECT_EQ(t.FindGap(0x1000, 0x1000, 0x5000, 0x5000).error(), Errno::kENOMEM);
  EXPECT_EQ(t.FindGap(0x1000, 0x1000, 0x6000, 0x5000).error(), Errno::kENOMEM);
  // Bad requests.
  EXPECT_EQ(t.FindGap(0, 0x1000, 0, 0x100000).error(), Errno::kEINVAL);
  EXPECT_EQ(t.FindGap(0x1000, 0x3000, 0, 0x100000).error(), Errno::kEINVAL);
  EXPECT_EQ(t.FindGap(0x1000, 0, 0, 0x100000).error(), Errno::kEINVAL);
  t.Clear();
}

TEST(IntrusiveTreeTest, GapSearchAtTheTopOfTheAddressSpace) {
  Vma v[2];
  Tree t;
  ASSERT_TRUE(t.Insert(v[0], kMax - 0x3000, kMax - 0x2000).ok());
  EXPECT_EQ(t.FindGap(0x1000, 0x1000, kMax - 0x3fff, kMax).value(), kMax - 0x1fffu);
  EXPECT_EQ(t.FindGap(0x1000, 0x10000, kMax - 0x2fff, kMax).error(), Errno::kENOMEM)
      << "aligning past the end must not wrap";
  EXPECT_EQ(t.FindGapTopDown(0x1000, 0x1000, 0, kMax).value(), kMax - 0x1fff);
  EXPECT_EQ(t.FindGap(u64{1} << 63, u64{1} << 63, 1, kMax).error(), Errno::kENOMEM);
  EXPECT_EQ(t.FindGap(u64{1} << 62, u64{1} << 62, 1, kMax).value(), u64{1} << 62);
  t.Clear();
}

TEST(IntrusiveTreeTest, UpdateRangeSplitsAndGrowsInPlace) {
  Vma v[3];
  Tree t;
  ASSERT_TRUE(t.Insert(v[0], 0x1000, 0x2000).ok());
  ASSERT_TRUE(t.Insert(v[1], 0x4000, 0x8000).ok());
  ASSERT_TRUE(t.Insert(v[2], 0x9000, 0xa000).ok());
  // munmap of the tail of v[1], then of its head.
  ASSERT_TRUE(t.UpdateRange(v[1], 0x4000, 0x6000).ok());
  ASSERT_TRUE(t.UpdateRange(v[1], 0x5000, 0x6000).ok());
  EXPECT_TRUE(t.Verify());
  EXPECT_EQ(t.FindGap(0x3000, 0x1000, 0, 0x100000).value(), 0x2000u);
  EXPECT_EQ(t.FindContaining(0x4000), nullptr);
  // Growing into a neighbour, or past one, is refused and changes nothing.
  EXPECT_EQ(t.UpdateRange(v[1], 0x1fff, 0x6000).error(), Errno::kEEXIST);
  EXPECT_EQ(t.UpdateRange(v[1], 0x5000, 0x9001).error(), Errno::kEEXIST);
  EXPECT_EQ(t.UpdateRange(v[1], 0xb000, 0xc000).error(), Errno::kEEXIST);
  EXPECT_EQ(t.UpdateRange(v[1], 0x6000, 0x5000).error(), Errno::kEINVAL);
  EXPECT_EQ(v[1].node.start(), 0x5000u);
  EXPECT_EQ(v[1].node.end(), 0x6000u);
  ASSERT_TRUE(t.UpdateRange(v[1], 0x2000, 0x9000).ok());  // touching both neighbours
  EXPECT_EQ(t.FindGap(0x1000, 0x1000, 0x1000, 0x100000).value(), 0xa000u);
  EXPECT_TRUE(t.Verify());
  t.Clear();
}

TEST(IntrusiveTreeTest, ClearHandsEveryElementOver) {
  Tree t;
  std::vector<Vma*> made;
  for (int i = 0; i < 100; ++i) {
    auto* v = new Vma;
    v->id = i;
    ASSERT_TRUE(
        t.Insert(*v, static_cast<u64>(i) * 0x2000, static_cast<u64>(i) * 0x2000 + 0x1000).ok());
    made.push_back(v);
  }
  int destroyed = 0;
  t.Clear([&](Vma& v) {
    EXPECT_FALSE(v.node.linked());
    ++destroyed;
    delete &v;
  });
  EXPECT_EQ(destroyed, 100);
  EXPECT_TRUE(t.empty());
  EXPECT_TRUE(t.Verify());
}

TEST(IntrusiveTreeTest, StaysBalancedForSortedInsertions) {
  constexpr int kCount = 1 << 12;
  std::vector<Vma> v(kCount);
  Tree t;
  for (int i = 0; i < kCount; ++i)
    ASSERT_TRUE(t.Insert(v[static_cast<usize>(i)], static_cast<u64>(i)).ok());
  EXPECT_TRUE(t.Verify());  // includes |balance| <= 1 at every node: height <= 1.44 log2 n
  for (int i = 0; i < kCount; i += 2) t.Remove(v[static_cast<usize>(i)]);
  EXPECT_TRUE(t.Verify());
  EXPECT_EQ(t.size(), static_cast<usize>(kCount / 2));
  t.Clear();
}

// Random inserts, removals, range updates and queries against std::map and brute force.
TEST(IntrusiveTreeTest, RandomizedAgainstStdMap) {
  for (int round = 0; round < 3; ++round) {
    std::mt19937_64 rng(31337 + round);
    constexpr int kItems = 300;
    std::vector<std::unique_ptr<Vma>> items;
    for (int i = 0; i < kItems; ++i) {
      items.push_back(std::make_unique<Vma>());
      items.back()->id = i;
    }
    Tree t;
    usize found_gaps = 0, max_size = 0;
    std::map<u64, u64> ref;  // start -> end
    u64 space = round == 0 ? 4096 : round == 1 ? 1 << 20 : kMax;
    auto random_addr = [&] { return space == kMax ? rng() : rng() % space; };
    for (int step = 0; step < 15000; ++step) {
      max_size = std::max(max_size, t.size());
      Vma& item = *items[rng() % kItems];
      switch (rng() % 6) {
        case 0:
        case 1: {
          if (item.node.linked()) break;
          u64 start = random_addr();
          u64 len = rng() % 4 == 0 ? 0 : rng() % (space == kMax ? u64{1} << 40 : space / 64 + 1);
          u64 end = start + len < start ? kMax : start + len;
          auto r = t.Insert(item, start, end);
          auto next = ref.lower_bound(start);
          bool clash = (next != ref.end() && (next->first == start || next->first < end)) ||
                       (next != ref.begin() && std::prev(next)->second > start);
          ASSERT_EQ(r.ok(), !clash) << "insert [" << start << "," << end << ")";
          if (r.ok()) ref[start] = end;
          break;
        }
        case 2:
          if (item.node.linked()) {
            ref.erase(item.node.start());
            t.Remove(item);
          }
          break;
        case 3:
          if (item.node.linked()) {
            u64 start = item.node.start();
            u64 end = item.node.end();
            u64 ns = start + (end > start ? rng() % (end - start + 1) : 0);
            u64 ne = ns + (end > ns ? rng() % (end - ns + 1) : 0);
            if (ns == ne && ns != start && rng() % 2) ns = ne = start;
            auto r = t.UpdateRange(item, ns, ne);
            ref.erase(start);
            bool clash = false;
            auto next = ref.lower_bound(ns);
            clash = (next != ref.end() && (next->first == ns || next->first < ne)) ||
                    (next != ref.begin() && std::prev(next)->second > ns);
            ASSERT_EQ(r.ok(), !clash);
            ref[r.ok() ? ns : start] = r.ok() ? ne : end;
          }
          break;
        case 4: {
          u64 addr = random_addr();
          Vma* c = t.FindContaining(addr);
          auto it = ref.upper_bound(addr);
          bool expect = it != ref.begin() && std::prev(it)->second > addr;
          ASSERT_EQ(c != nullptr, expect);
          if (c) {
            ASSERT_EQ(c->node.start(), std::prev(it)->first);
          }
          Vma* f = t.FindFirstEndAfter(addr);
          auto fe =
              std::find_if(ref.begin(), ref.end(), [&](auto& kv) { return kv.second > addr; });
          ASSERT_EQ(f == nullptr, fe == ref.end());
          if (f) {
            ASSERT_EQ(f->node.start(), fe->first);
          }
          Vma* lb = t.LowerBound(addr);
          auto rlb = ref.lower_bound(addr);
          ASSERT_EQ(lb ? lb->node.start() : kMax, rlb != ref.end() ? rlb->first : kMax);
          Vma* ub = t.UpperBound(addr);
          auto rub = ref.upper_bound(addr);
          ASSERT_EQ(ub ? ub->node.start() : kMax, rub != ref.end() ? rub->first : kMax);
          break;
        }
        case 5: {
          u64 align = u64{1} << (rng() % (space == kMax ? 40 : 8));
          u64 size = 1 + rng() % (space == kMax ? u64{1} << 42 : space / 16);
          u64 lo = random_addr(), hi = random_addr();
          if (lo > hi) std::swap(lo, hi);
          if (rng() % 4 == 0) {
            lo = 0;
            hi = kMax;
          }
          bool highest = rng() % 2;
          auto got =
              highest ? t.FindGapTopDown(size, align, lo, hi) : t.FindGap(size, align, lo, hi);
          auto want = BruteGap(ref, size, align, lo, hi, highest);
          ASSERT_EQ(got.ok(), want.has_value())
              << "size " << size << " align " << align << " [" << lo << "," << hi << ") "
              << (highest ? "top-down" : "bottom-up");
          if (want) {
            ++found_gaps;
            ASSERT_EQ(got.value(), *want);
          } else {
            ASSERT_EQ(got.error(), Errno::kENOMEM);
          }
          break;
        }
      }
      ASSERT_EQ(t.size(), ref.size());
      if (step % 16 == 0) {
        ASSERT_TRUE(t.Verify()) << "step " << step;
        std::vector<u64> starts;
        starts.reserve(ref.size());
        for (auto& kv : ref) starts.push_back(kv.first);
        ASSERT_EQ(Starts(t), starts);
      }
    }
    t.Clear();
    // The run must have exercised the interesting cases, not just empty trees and misses.
    EXPECT_GT(found_gaps, 500u);
    EXPECT_GT(max_size, 100u);
  }
}

TEST(IntrusiveTreeDeathTest, MisuseIsCaught) {
  EXPECT_DEATH(
      {
        Vma a;
        Tree t;
        Tree u;
        ASSERT_TRUE(t.Insert(a, 1).ok());
        (void)u.Insert(a, 2);
      },
      "KERNEL PANIC.*already in a tree");
  EXPECT_DEATH(
      {
        Vma a;
        Tree t;
        t.Remove(a);
      },
      "KERNEL PANIC.*not in a tree");
  if constexpr (kDebugChecks) {
    EXPECT_DEATH(
        {
          Tree t;
          auto* v = new Vma;
          ASSERT_TRUE(t.Insert(*v, 1).ok());
          delete v;
        },
        "KERNEL PANIC.*destroyed while in a tree");
  }
}

}  // namespace
}  // namespace kernel::lib
