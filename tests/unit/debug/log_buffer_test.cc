#include "kernel/debug/log_buffer.h"

#include <gtest/gtest.h>

#include <string>

namespace kernel::log {
namespace {

class LogBufferTest : public testing::Test {
 protected:
  void SetUp() override { BufferResetForTesting(); }
  void TearDown() override { BufferResetForTesting(); }
  static void Add(int level, const std::string& s) { BufferAppend(level, s.data(), s.size()); }
  static std::string All(usize n = kLogBufferSize) {
    std::string out(n, '\0');
    out.resize(BufferReadAll(out.data(), n));
    return out;
  }
};

// "<level>[seconds.micros] text\n", what syslog(2) returns and dmesg parses.
bool IsRecord(const std::string& line, int level, const std::string& text) {
  const std::string head = "<" + std::to_string(level) + ">[";
  return line.rfind(head, 0) == 0 && line.size() > head.size() + 15 &&
         line.substr(head.size() + 12, 2) == "] " && line.substr(head.size() + 14) == text;
}

TEST_F(LogBufferTest, EachLineIsARecordWithLevelAndTime) {
  Add(6, "hello\nwor");
  Add(6, "ld\n");
  Add(3, "bad thing\n");
  std::string all = All();
  usize a = all.find('\n'), b = all.find('\n', a + 1);
  ASSERT_NE(b, std::string::npos) << all;
  EXPECT_TRUE(IsRecord(all.substr(0, a), 6, "hello")) << all;
  EXPECT_TRUE(IsRecord(all.substr(a + 1, b - a - 1), 6, "world")) << "pieces join one line";
  EXPECT_TRUE(IsRecord(all.substr(b + 1, all.size() - b - 2), 3, "bad thing")) << all;
}

TEST_F(LogBufferTest, ReadAllGivesTheNewestWholeLinesThatFit) {
  for (int i = 0; i < 10; ++i) Add(6, "line " + std::to_string(i) + "\n");
  const usize one = All().size() / 10;  // every record has the same length here
  std::string last_two = All(2 * one + 5);
  EXPECT_EQ(last_two.size(), 2 * one);
  EXPECT_NE(last_two.find("line 8\n"), std::string::npos) << last_two;
  EXPECT_NE(last_two.find("line 9\n"), std::string::npos) << last_two;
  EXPECT_EQ(All(one - 1), "") << "no partial line";
}

TEST_F(LogBufferTest, AFullRingDropsTheOldestAndKeepsLinesWhole) {
  const std::string text(100, 'x');
  for (int i = 0; i < 2000; ++i) Add(6, text + std::to_string(i) + "\n");  // ~250 KiB
  std::string all = All();
  ASSERT_LE(all.size(), kLogBufferSize);
  EXPECT_GT(all.size(), kLogBufferSize - 200);
  EXPECT_EQ(all.front(), '<') << "starts at a record";
  EXPECT_NE(all.rfind(text + "1999\n"), std::string::npos);
  EXPECT_EQ(all.find(text + "0\n"), std::string::npos) << "the oldest went";
  EXPECT_EQ(BufferUnread(), kLogBufferSize) << "unread is capped by what the ring holds";
}

TEST_F(LogBufferTest, DestructiveReadAndClear) {
  Add(6, "one\n");
  const usize first = BufferUnread();
  ASSERT_GT(first, 0u);
  std::string part(3, '\0');
  ASSERT_EQ(BufferReadUnread(part.data(), 3), 3u);
  EXPECT_EQ(part, "<6>");
  EXPECT_EQ(BufferUnread(), first - 3);
  std::string rest(first, '\0');
  rest.resize(BufferReadUnread(rest.data(), rest.size()));
  EXPECT_EQ(rest.size(), first - 3);
  EXPECT_EQ(BufferUnread(), 0u);
  EXPECT_FALSE(All().empty()) << "READ does not clear what READ_ALL returns";
  BufferClear();
  EXPECT_EQ(All(), "");
  Add(6, "two\n");
  std::string all = All();
  EXPECT_EQ(all.find("one"), std::string::npos);
  EXPECT_NE(all.find("two"), std::string::npos);
}

}  // namespace
}  // namespace kernel::log
