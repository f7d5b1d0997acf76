#include "kernel/lib/result.h"

#include <gtest/gtest.h>

namespace kernel {
namespace {

Result<int> Half(int v) {
  if (v % 2 != 0) return Errno::kEINVAL;
  return v / 2;
}

Result<int> Quarter(int v) {
  int h = TRY(Half(v));
  return TRY(Half(h));
}

Result<void> CheckEven(int v) {
  TRY(Half(v));
  return Ok();
}

TEST(ResultTest, ValuesAndErrorsPropagateThroughTry) {
  EXPECT_EQ(Quarter(8).value(), 2);
  EXPECT_EQ(Quarter(6).error(), Errno::kEINVAL);
  EXPECT_TRUE(CheckEven(4).ok());
  EXPECT_EQ(CheckEven(3).error(), Errno::kEINVAL);
}

Result<int> Sum(int a, int b) { return a + b; }

Result<int> NestedTry(int v) {
  // A TRY inside a TRY's argument: each expansion has its own hidden variable (this would not
  // compile under -Wshadow=local otherwise).
  return TRY(Sum(TRY(Half(v)), TRY(Half(TRY(Half(v))))));
}

TEST(ResultTest, TryNests) {
  EXPECT_EQ(NestedTry(8).value(), 6);
  EXPECT_EQ(NestedTry(6).error(), Errno::kEINVAL);  // the innermost Half(3) fails
  EXPECT_EQ(NestedTry(5).error(), Errno::kEINVAL);
}

TEST(ResultTest, ErrnoValuesMatchLinux) {
  EXPECT_EQ(ToInt(Errno::kEPERM), 1);
  EXPECT_EQ(ToInt(Errno::kEFAULT), 14);
  EXPECT_EQ(ToInt(Errno::kENOSYS), 38);
  EXPECT_EQ(ToInt(Errno::kELOOP), 40);
  EXPECT_EQ(ToInt(Errno::kEOPNOTSUPP), 95);
  EXPECT_EQ(ToInt(Errno::kEHWPOISON), 133);
  EXPECT_EQ(ToInt(Errno::kERESTARTSYS), 512);
  EXPECT_STREQ(ErrnoName(Errno::kENOENT), "ENOENT");
}

struct MoveOnly {
  explicit MoveOnly(int v) : v(v) {}
  MoveOnly(MoveOnly&& o) noexcept : v(o.v) { o.v = -1; }
  MoveOnly(const MoveOnly&) = delete;
  int v;
};

TEST(ResultTest, HoldsMoveOnlyTypes) {
  Result<MoveOnly> r = MoveOnly(7);
  ASSERT_TRUE(r.ok());
  MoveOnly m = r.release_value();
  EXPECT_EQ(m.v, 7);
}

TEST(ResultDeathTest, ValueOfAnErrorPanics) {
  Result<int> r = Errno::kENOMEM;
  EXPECT_DEATH((void)r.value(), "KERNEL PANIC");
}

}  // namespace
}  // namespace kernel
