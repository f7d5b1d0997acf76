#include "kernel/lib/string.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>

#include "tests/unit/lib/test_support.h"

namespace kernel::lib {
namespace {

using testing::LiveAllocations;
using testing::ScopedHeapFailure;

class StringTest : public ::testing::Test {
 protected:
  void SetUp() override { baseline_ = LiveAllocations(); }
  void TearDown() override { EXPECT_EQ(LiveAllocations(), baseline_) << "heap leak"; }
  usize baseline_ = 0;
};

TEST_F(StringTest, EmptyStringIsValidAndOwnsNothing) {
  String s;
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.size(), 0u);
  EXPECT_STREQ(s.c_str(), "");
  EXPECT_EQ(s.view(), "");
  EXPECT_EQ(s.mutable_data(), nullptr);
  EXPECT_EQ(LiveAllocations(), baseline_);
  ASSERT_TRUE(s.TryAppend(string_view()).ok());
  EXPECT_EQ(LiveAllocations(), baseline_);
}

TEST_F(StringTest, FromAppendAndCompare) {
  String s = String::TryFrom("hello").release_value();
  EXPECT_EQ(s, "hello");
  EXPECT_EQ(s.size(), 5u);
  EXPECT_EQ(s.c_str()[5], '\0');
  ASSERT_TRUE(s.TryAppend(", ").ok());
  ASSERT_TRUE(s.TryAppend('w').ok());
  ASSERT_TRUE(s.TryAppend("orld").ok());
  EXPECT_EQ(s.view(), "hello, world");
  EXPECT_STREQ(s.c_str(), "hello, world");
  EXPECT_TRUE(s == string_view("hello, world"));
  EXPECT_FALSE(s == "hello");
  EXPECT_TRUE(s < "zebra");
  EXPECT_TRUE(s > "hello");
  String t = String::TryFrom("hello, world").release_value();
  EXPECT_TRUE(s == t);
  EXPECT_TRUE(string_view("hello, world") == s);
  s[0] = 'H';
  EXPECT_EQ(s[0], 'H');
  EXPECT_FALSE(s == t);
}

TEST_F(StringTest, HoldsEmbeddedNuls) {
  String s;
  ASSERT_TRUE(s.TryAppend(string_view("a\0b", 3)).ok());
  EXPECT_EQ(s.size(), 3u);
  EXPECT_EQ(s.view(), string_view("a\0b", 3));
  EXPECT_STREQ(s.c_str(), "a");
}

TEST_F(StringTest, AppendOfItselfSurvivesReallocation) {
  String s = String::TryFrom("abc").release_value();
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(s.TryAppend(s.view()).ok());
  EXPECT_EQ(s.size(), 3u * 64);
  for (usize i = 0; i < s.size(); ++i) ASSERT_EQ(s[i], "abc"[i % 3]) << i;
  // A piece of itself, from the middle.
  String t = String::TryFrom("0123456789").release_value();
  ASSERT_TRUE(t.TryAppend(t.view().substr(3, 4)).ok());
  EXPECT_EQ(t, "01234567893456");
}

TEST_F(StringTest, AssignTruncateClearReset) {
  String s = String::TryFrom("some longer text").release_value();
  ASSERT_TRUE(s.TryAssign("short").ok());
  EXPECT_EQ(s, "short");
  ASSERT_TRUE(s.TryAssign(s.view().substr(1)).ok());  // aliasing
  EXPECT_EQ(s, "hort");
  ASSERT_TRUE(s.TryAssign("a string longer than before, reallocating").ok());
  EXPECT_EQ(s, "a string longer than before, reallocating");
  s.Truncate(8);
  EXPECT_EQ(s, "a string");
  EXPECT_STREQ(s.c_str(), "a string");
  usize capacity = s.capacity();
  s.Clear();
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.capacity(), capacity);
  s.Reset();
  EXPECT_EQ(s.capacity(), 0u);
  ASSERT_TRUE(s.TryAssign("").ok());
  EXPECT_TRUE(s.empty());
}

TEST_F(StringTest, MoveAndClone) {
  String a = String::TryFrom("payload").release_value();
  const char* storage = a.data();
  String b(move(a));
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(b.data(), storage);
  String c = b.TryClone().release_value();
  EXPECT_NE(c.data(), b.data());
  EXPECT_EQ(c, "payload");
  c = move(b);
  EXPECT_EQ(c.data(), storage);
}

TEST_F(StringTest, FormatMatchesHostSnprintf) {
  String s = String::TryFormat("%s=%d (%#x) [%-5s]", "pid", 42, 255, "ab").release_value();
  char expected[64];
  std::snprintf(expected, sizeof(expected), "%s=%d (%#x) [%-5s]", "pid", 42, 255, "ab");
  EXPECT_EQ(s, expected);
  ASSERT_TRUE(s.TryAppendFormat(" %zu%%", usize{99}).ok());
  EXPECT_EQ(s.view(), std::string(expected) + " 99%");
  String empty = String::TryFormat("%s", "").release_value();
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(LiveAllocations(), baseline_ + 1);  // only `s` owns storage
}

TEST_F(StringTest, LongFormatGrowsOnce) {
  std::string ref;
  String s;
  for (int i = 0; i < 300; ++i) {
    ASSERT_TRUE(s.TryAppendFormat("%d,", i).ok());
    ref += std::to_string(i) + ",";
  }
  EXPECT_EQ(s.view(), ref);
  String big = String::TryFormat("%5000d", 7).release_value();
  EXPECT_EQ(big.size(), 5000u);
  EXPECT_EQ(big[4999], '7');
}

TEST_F(StringTest, ExhaustionLeavesStringIntact) {
  String s = String::TryFrom("keep").release_value();
  usize capacity = s.capacity();
  {
    ScopedHeapFailure fail(0);
    EXPECT_EQ(String::TryFrom("x").error(), Errno::kENOMEM);
    EXPECT_EQ(s.TryClone().error(), Errno::kENOMEM);
    std::string big(capacity + 1, 'y');
    EXPECT_EQ(s.TryAppend(string_view(big.data(), big.size())).error(), Errno::kENOMEM);
    EXPECT_EQ(s.TryAppendFormat("%*d", static_cast<int>(capacity + 10), 1).error(), Errno::kENOMEM);
    EXPECT_EQ(s.TryAssign(string_view(big.data(), big.size())).error(), Errno::kENOMEM);
    EXPECT_EQ(s.TryReserve(capacity + 100).error(), Errno::kENOMEM);
    EXPECT_EQ(String::TryFormat("%d", 5).error(), Errno::kENOMEM);
    // Within capacity nothing allocates.
    if (capacity > 4) {
      EXPECT_TRUE(s.TryAppend('!').ok());
      s.Truncate(4);
    }
  }
  EXPECT_EQ(s, "keep");
  EXPECT_STREQ(s.c_str(), "keep");
  EXPECT_EQ(s.capacity(), capacity);
}

TEST_F(StringTest, SizeOverflowIsEnomem) {
  String s = String::TryFrom("x").release_value();
  EXPECT_EQ(s.TryReserve(numeric_limits<usize>::max()).error(), Errno::kENOMEM);
  EXPECT_EQ(s.TryReserve(usize{1} << 40).error(), Errno::kENOMEM);
  // A view claiming to be enormous must be rejected before it is read.
  string_view huge(s.data(), numeric_limits<usize>::max() - 1);
  EXPECT_EQ(s.TryAppend(huge).error(), Errno::kENOMEM);
  EXPECT_EQ(s, "x");
}

TEST_F(StringTest, RandomizedAgainstStdString) {
  std::mt19937 rng(99);
  String s;
  std::string ref;
  for (int step = 0; step < 5000; ++step) {
    bool inject = rng() % 10 == 0;
    std::string before = ref;
    Result<void> r = Ok();
    {
      ScopedHeapFailure fail(inject ? 0 : 1000000);
      switch (rng() % 6) {
        case 0: {
          std::string piece(rng() % 20, static_cast<char>('a' + rng() % 26));
          r = s.TryAppend(string_view(piece.data(), piece.size()));
          if (r.ok()) ref += piece;
          break;
        }
        case 1: {
          char c = static_cast<char>(rng() % 256);
          r = s.TryAppend(c);
          if (r.ok()) ref += c;
          break;
        }
        case 2: {
          unsigned v = static_cast<unsigned>(rng());
          r = s.TryAppendFormat("%x:", v);
          char buf[16];
          std::snprintf(buf, sizeof(buf), "%x:", v);
          if (r.ok()) ref += buf;
          break;
        }
        case 3:
          if (!ref.empty()) {
            usize n = rng() % (ref.size() + 1);
            s.Truncate(n);
            ref.resize(n);
          }
          break;
        case 4:
          if (!ref.empty()) {
            usize from = rng() % ref.size();
            usize n = rng() % (ref.size() - from + 1);
            r = s.TryAppend(s.view().substr(from, n));
            if (r.ok()) ref += ref.substr(from, n);
          }
          break;
        case 5:
          if (rng() % 20 == 0) {
            s.Reset();
            ref.clear();
          }
          break;
      }
    }
    if (r.is_error()) {
      ASSERT_TRUE(inject);
      ASSERT_EQ(ref, before);
    }
    ASSERT_EQ(std::string(s.view()), ref) << "step " << step;
    ASSERT_EQ(s.c_str()[s.size()], '\0');
  }
}

TEST_F(StringTest, BuilderCollectsTextAndReportsFailureOnce) {
  StringBuilder sb;
  sb.Append("Name:\t");
  sb.Append("init");
  sb.Append('\n');
  sb.AppendFormat("Pid:\t%d\n", 1);
  EXPECT_FALSE(sb.failed());
  EXPECT_EQ(sb.view(), "Name:\tinit\nPid:\t1\n");
  String text = sb.Finish().release_value();
  EXPECT_EQ(text, "Name:\tinit\nPid:\t1\n");
  EXPECT_EQ(sb.size(), 0u);

  {
    ScopedHeapFailure fail(0);
    sb.Append("a");
    EXPECT_TRUE(sb.failed());
  }
  sb.Append("dropped after a failure");
  sb.AppendFormat("%d", 5);
  EXPECT_EQ(sb.size(), 0u);
  EXPECT_EQ(sb.Finish().error(), Errno::kENOMEM);
  // Usable again after Finish.
  sb.Append("again");
  EXPECT_EQ(sb.Finish().release_value(), "again");
}

TEST(StringDeathTest, TruncatePastTheEndPanics) {
  String s = String::TryFrom("ab").release_value();
  EXPECT_DEATH(s.Truncate(3), "KERNEL PANIC.*truncate to 3, size 2");
}

}  // namespace
}  // namespace kernel::lib
