#include "kernel/lib/std.h"

#include <gtest/gtest.h>

namespace kernel::lib {
namespace {

TEST(StdTest, MinMaxClampPreferTheFirstOnTies) {
  struct Key {
    int k;
    int tag;
    bool operator<(const Key& o) const { return k < o.k; }
  };
  Key a{1, 0}, b{1, 1}, c{2, 2};
  EXPECT_EQ(lib::min(a, b).tag, 0);
  EXPECT_EQ(lib::max(a, b).tag, 0);
  EXPECT_EQ(lib::min(c, a).tag, 0);
  EXPECT_EQ(lib::max(a, c).tag, 2);
  static_assert(lib::min(3, 4) == 3 && lib::max(3, 4) == 4);
  static_assert(lib::clamp(5, 0, 3) == 3 && lib::clamp(-1, 0, 3) == 0 && lib::clamp(2, 0, 3) == 2);
}

TEST(StdTest, OverflowHelpers) {
  u64 out;
  EXPECT_FALSE(AddOverflows<u64>(1, 2, &out));
  EXPECT_EQ(out, 3u);
  EXPECT_TRUE(AddOverflows<u64>(numeric_limits<u64>::max(), 1, &out));
  EXPECT_EQ(out, 0u);
  EXPECT_TRUE(MulOverflows<u64>(u64{1} << 32, u64{1} << 32, &out));
  EXPECT_FALSE(MulOverflows<u64>(u64{1} << 31, u64{1} << 32, &out));
  EXPECT_EQ(out, u64{1} << 63);
  i32 s;
  EXPECT_TRUE(AddOverflows<i32>(numeric_limits<i32>::max(), 1, &s));
  EXPECT_FALSE(AddOverflows<i32>(-5, 3, &s));
  EXPECT_EQ(s, -2);
}

enum class Color : u8 { kRed = 3 };

TEST(StdTest, ReExportedPiecesWork) {
  EXPECT_EQ(to_underlying(Color::kRed), 3);
  static_assert(is_same_v<decltype(to_underlying(Color::kRed)), u8>);
  static_assert(popcount(0xF0u) == 4 && countr_zero(8u) == 3 && bit_ceil(5u) == 8u);
  static_assert(has_single_bit(64u) && !has_single_bit(65u) && bit_width(255u) == 8);
  string_view sv = "abc";
  EXPECT_EQ(sv.substr(1), "bc");
  EXPECT_EQ(sv.find('c'), 2u);
  optional<int> o;
  EXPECT_FALSE(o.has_value());
  o = 4;
  EXPECT_EQ(*o, 4);
  array<int, 3> a{1, 2, 3};
  span<int> s(a);
  EXPECT_EQ(s.subspan(1).front(), 2);
  atomic<u32> counter{0};
  counter.fetch_add(2, memory_order_relaxed);
  EXPECT_EQ(counter.load(), 2u);
  int x = 1, y = 2;
  swap(x, y);
  EXPECT_EQ(exchange(x, 9), 2);
  EXPECT_EQ(x, 9);
  static_assert(numeric_limits<u16>::max() == 65535);
}

}  // namespace
}  // namespace kernel::lib
