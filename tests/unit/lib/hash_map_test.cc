#include "kernel/lib/hash_map.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <unordered_map>

#include "kernel/lib/own_ptr.h"
#include "kernel/lib/string.h"
#include "tests/unit/lib/test_support.h"

namespace kernel::lib {
namespace {

using testing::LiveAllocations;
using testing::MoveOnly;
using testing::ScopedHeapFailure;
using testing::Tracked;

class HashMapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Tracked::Reset();
    baseline_ = LiveAllocations();
  }
  void TearDown() override {
    EXPECT_EQ(Tracked::live, 0);
    EXPECT_EQ(LiveAllocations(), baseline_);
  }
  usize baseline_ = 0;
};

template <typename Map>
std::map<u64, int> Contents(const Map& m) {
  std::map<u64, int> out;
  for (const auto& e : m) {
    EXPECT_TRUE(out.emplace(e.key, e.value.value).second) << "key " << e.key << " twice";
  }
  return out;
}

TEST_F(HashMapTest, EmptyMapOwnsNothing) {
  HashMap<u64, int> m;
  EXPECT_TRUE(m.empty());
  EXPECT_EQ(m.Find(1u), nullptr);
  EXPECT_FALSE(m.Contains(1u));
  EXPECT_FALSE(m.Erase(1u));
  EXPECT_EQ(m.Take(1u), std::nullopt);
  EXPECT_EQ(m.begin(), m.end());
  EXPECT_EQ(m.EraseIf([](const u64&, int&) { return true; }), 0u);
  EXPECT_EQ(LiveAllocations(), baseline_);
}

TEST_F(HashMapTest, InsertFindEraseTake) {
  HashMap<u64, int> m;
  int* v = m.TryInsert(u64{10}, 100).release_value();
  EXPECT_EQ(*v, 100);
  EXPECT_EQ(m.TryInsert(u64{10}, 5).error(), Errno::kEEXIST);
  EXPECT_EQ(*m.Find(u64{10}), 100);
  ASSERT_TRUE(m.TrySet(u64{10}, 7).ok());
  EXPECT_EQ(*m.Find(u64{10}), 7);
  ASSERT_TRUE(m.TrySet(u64{11}, 8).ok());
  EXPECT_EQ(m.size(), 2u);
  int* found = m.TryFindOrInsert(u64{11}).release_value();
  EXPECT_EQ(*found, 8);
  int* fresh = m.TryFindOrInsert(u64{12}).release_value();
  EXPECT_EQ(*fresh, 0);
  EXPECT_EQ(m.size(), 3u);
  EXPECT_EQ(m.Take(u64{11}), 8);
  EXPECT_TRUE(m.Erase(u64{12}));
  EXPECT_FALSE(m.Erase(u64{12}));
  EXPECT_EQ(m.size(), 1u);
  const auto& cm = m;
  EXPECT_EQ(*cm.Find(u64{10}), 7);
}

TEST_F(HashMapTest, GrowsAndKeepsEverything) {
  HashMap<u64, Tracked> m;
  for (u64 i = 0; i < 5000; ++i) ASSERT_TRUE(m.TryInsert(i * 4096, static_cast<int>(i)).ok());
  EXPECT_EQ(m.size(), 5000u);
  EXPECT_LE(m.size(), m.capacity() * 3 / 4);
  for (u64 i = 0; i < 5000; ++i) ASSERT_EQ(m.Find(i * 4096)->value, static_cast<int>(i));
  EXPECT_EQ(m.Find(u64{1}), nullptr);
  EXPECT_EQ(static_cast<usize>(Tracked::live), 5000u);
  usize n = 0;
  for (auto& e : m) {
    EXPECT_EQ(e.key % 4096, 0u);
    ++n;
  }
  EXPECT_EQ(n, 5000u);
}

TEST_F(HashMapTest, StringKeysAreFoundByView) {
  HashMap<String, int> m;
  ASSERT_TRUE(m.TryInsert(String::TryFrom("init").release_value(), 1).ok());
  ASSERT_TRUE(m.TryInsert(String::TryFrom("sh").release_value(), 2).ok());
  EXPECT_EQ(*m.Find(string_view("init")), 1);
  EXPECT_EQ(*m.Find("sh"), 2);  // a literal: hashed by content, not by address
  std::string dynamic = "sh";
  EXPECT_EQ(*m.Find(dynamic.c_str()), 2);
  EXPECT_EQ(m.Find(string_view("bash")), nullptr);
  EXPECT_EQ(m.TryInsert(String::TryFrom("sh").release_value(), 3).error(), Errno::kEEXIST);
  EXPECT_TRUE(m.Erase(string_view("init")));
  EXPECT_EQ(m.size(), 1u);
}

TEST_F(HashMapTest, DefaultHashSpreadsPageAlignedKeys) {
  // With the identity hash every page-aligned key would land in slot 0 of a small table.
  constexpr usize kSlots = 64;
  int hits[kSlots] = {};
  for (u64 i = 0; i < 4 * kSlots; ++i) ++hits[DefaultHash{}(i << 12) % kSlots];
  for (int h : hits) EXPECT_LT(h, 16);
  EXPECT_EQ(DefaultHash{}(string_view("abc")), DefaultHash{}(String::TryFrom("abc").value()));
  EXPECT_NE(DefaultHash{}(string_view("abc")), DefaultHash{}(string_view("abd")));
}

TEST_F(HashMapTest, MoveOnlyValuesAndMapMoves) {
  HashMap<int, OwnPtr<Tracked>> m;
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(m.TryInsert(i, TryMakeOwn<Tracked>(i).release_value()).ok());
  }
  HashMap<int, OwnPtr<Tracked>> other(move(m));
  EXPECT_TRUE(m.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ((*other.Find(7))->value, 7);
  auto taken = other.Take(7);
  ASSERT_TRUE(taken.has_value());
  EXPECT_EQ((*taken)->value, 7);
  taken.reset();
  EXPECT_EQ(Tracked::live, 19);
  m = move(other);
  EXPECT_EQ(m.size(), 19u);
  m.Clear();
  EXPECT_EQ(Tracked::live, 0);
  EXPECT_GT(m.capacity(), 0u);
  m.Reset();
}

TEST_F(HashMapTest, FailedRehashLeavesMapAndArgumentsIntact) {
  HashMap<int, MoveOnly> m;
  // Fill to exactly the load limit, so the next insert must rehash.
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(m.TryInsert(i, MoveOnly(i + 1)).ok());
  ASSERT_EQ(m.capacity(), 8u);
  {
    ScopedHeapFailure fail(0);
    MoveOnly value(99);
    EXPECT_EQ(m.TryInsert(100, move(value)).error(), Errno::kENOMEM);
    // NOLINTNEXTLINE(bugprone-use-after-move): a failed insert must not have moved from it
    EXPECT_EQ(value.value, 99) << "a failed insert consumed its argument";
    EXPECT_EQ(m.TrySet(100, move(value)).error(), Errno::kENOMEM);
    EXPECT_EQ(m.TryFindOrInsert(100, 1).error(), Errno::kENOMEM);
    EXPECT_EQ(m.TryReserve(100).error(), Errno::kENOMEM);
    EXPECT_EQ(value.value, 99);  // NOLINT(bugprone-use-after-move): as above
    // Operations that need no memory still work.
    EXPECT_TRUE(m.TrySet(0, MoveOnly(-5)).ok());
    EXPECT_TRUE(m.TryFindOrInsert(1, 12345).ok());
  }
  EXPECT_EQ(m.size(), 6u);
  EXPECT_EQ(m.capacity(), 8u);
  EXPECT_EQ(m.Find(0)->value, -5);
  for (int k = 1; k < 6; ++k) EXPECT_EQ(m.Find(k)->value, k + 1);
  EXPECT_TRUE(m.TryInsert(100, MoveOnly(1)).ok());
  EXPECT_EQ(m.capacity(), 16u);
  EXPECT_EQ(m.TryReserve(numeric_limits<usize>::max()).error(), Errno::kENOMEM);
}

TEST_F(HashMapTest, InsertingAValueThatAliasesAnEntryAcrossARehash) {
  HashMap<int, Tracked> m;
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(m.TryInsert(i, 1000 + i).ok());
  ASSERT_EQ(m.capacity(), 8u);
  const Tracked& existing = *m.Find(3);
  ASSERT_TRUE(m.TryInsert(50, existing).ok());  // rehashes while `existing` is the argument
  EXPECT_EQ(m.Find(50)->value, 1003);
  EXPECT_EQ(m.Find(3)->value, 1003);
}

// Every key hashes to a handful of home slots: long clusters, wrap-around, and backward
// shifts across the end of the table.
struct BadHash {
  u64 operator()(u64 k) const { return (k % 3) + 6; }
};

TEST_F(HashMapTest, RandomizedAgainstUnorderedMap) {
  for (int variant = 0; variant < 2; ++variant) {
    std::mt19937 rng(555 + variant);
    HashMap<u64, Tracked> good;
    HashMap<u64, Tracked, BadHash> bad;
    std::unordered_map<u64, int> ref;
    u64 key_space = variant == 0 ? 1000 : 200;
    for (int step = 0; step < 20000; ++step) {
      u64 key = rng() % key_space;
      int value = static_cast<int>(rng() % 100000);
      bool inject = rng() % 32 == 0;
      auto before = ref;
      bool failed = false;
      {
        ScopedHeapFailure fail(inject ? 0 : 1000000);
        switch (rng() % 6) {
          case 0:
          case 1: {
            auto r1 = good.TryInsert(key, value);
            auto r2 = bad.TryInsert(key, value);
            bool present = ref.count(key) != 0;
            if (present) {
              ASSERT_EQ(r1.error(), Errno::kEEXIST);
              ASSERT_EQ(r2.error(), Errno::kEEXIST);
            } else if (r1.ok() && r2.ok()) {
              ref[key] = value;
            } else {
              // One map may have had room; undo it so both match the reference.
              failed = true;
              if (r1.ok()) good.Erase(key);
              if (r2.ok()) bad.Erase(key);
            }
            break;
          }
          case 2: {
            bool e1 = good.Erase(key), e2 = bad.Erase(key);
            ASSERT_EQ(e1, ref.erase(key) == 1);
            ASSERT_EQ(e2, e1);
            break;
          }
          case 3: {
            auto r1 = good.TrySet(key, Tracked(value));
            auto r2 = bad.TrySet(key, Tracked(value));
            if (r1.ok() && r2.ok()) {
              ref[key] = value;
            } else {
              failed = true;
              if (r1.ok() && before.count(key) == 0) good.Erase(key);
              if (r2.ok() && before.count(key) == 0) bad.Erase(key);
              if (r1.ok() && before.count(key) != 0) good.Find(key)->value = before[key];
              if (r2.ok() && before.count(key) != 0) bad.Find(key)->value = before[key];
            }
            break;
          }
          case 4: {
            int m = static_cast<int>(rng() % 5 + 2);
            auto pred = [m](const u64&, Tracked& t) { return t.value % m == 0; };
            usize n1 = good.EraseIf(pred);
            usize n2 = bad.EraseIf(pred);
            usize n3 = std::erase_if(ref, [m](const auto& kv) { return kv.second % m == 0; });
            ASSERT_EQ(n1, n3);
            ASSERT_EQ(n2, n3);
            break;
          }
          case 5: {
            const Tracked* f1 = good.Find(key);
            const Tracked* f2 = bad.Find(key);
            auto it = ref.find(key);
            ASSERT_EQ(f1 != nullptr, it != ref.end());
            ASSERT_EQ(f2 != nullptr, it != ref.end());
            if (f1) {
              ASSERT_EQ(f1->value, it->second);
            }
            if (f2) {
              ASSERT_EQ(f2->value, it->second);
            }
            break;
          }
        }
      }
      if (failed) {
        ASSERT_TRUE(inject) << "failure without injection at step " << step;
        ASSERT_EQ(ref, before);
      }
      ASSERT_EQ(good.size(), ref.size());
      ASSERT_EQ(bad.size(), ref.size());
      if (step % 256 == 0 || failed) {
        std::map<u64, int> expected(ref.begin(), ref.end());
        ASSERT_EQ(Contents(good), expected) << "step " << step;
        ASSERT_EQ(Contents(bad), expected) << "step " << step;
        for (const auto& [k, v] : ref) ASSERT_EQ(bad.Find(k)->value, v);
      }
    }
    EXPECT_EQ(static_cast<usize>(Tracked::live), 2 * ref.size());
  }
}

}  // namespace
}  // namespace kernel::lib
