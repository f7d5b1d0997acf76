#include "kernel/lib/own_ptr.h"

#include <gtest/gtest.h>

#include "tests/unit/lib/test_support.h"

namespace kernel::lib {
namespace {

using testing::LiveAllocations;
using testing::ScopedHeapFailure;
using testing::Tracked;

class OwnPtrTest : public ::testing::Test {
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

TEST_F(OwnPtrTest, MakeOwnAndDestroyAtScopeEnd) {
  {
    OwnPtr<Tracked> p = TryMakeOwn<Tracked>(5).release_value();
    ASSERT_TRUE(p);
    EXPECT_EQ(p->value, 5);
    EXPECT_EQ((*p).value, 5);
    EXPECT_EQ(Tracked::live, 1);
    EXPECT_EQ(LiveAllocations(), baseline_ + 1);
  }
  EXPECT_EQ(Tracked::live, 0);
}

TEST_F(OwnPtrTest, NullStates) {
  OwnPtr<Tracked> a;
  OwnPtr<Tracked> b = nullptr;
  EXPECT_FALSE(a);
  EXPECT_TRUE(b == nullptr);
  EXPECT_EQ(a.get(), nullptr);
  a.reset();  // no-op
  OwnPtr<Tracked> c = AdoptOwn<Tracked>(nullptr);
  EXPECT_FALSE(c);
}

TEST_F(OwnPtrTest, MoveTransfersOwnership) {
  OwnPtr<Tracked> a = TryMakeOwn<Tracked>(1).release_value();
  Tracked* raw = a.get();
  OwnPtr<Tracked> b(move(a));
  EXPECT_FALSE(a);  // NOLINT(bugprone-use-after-move)
  EXPECT_TRUE(b == raw);
  OwnPtr<Tracked> c = TryMakeOwn<Tracked>(2).release_value();
  c = move(b);  // destroys the 2
  EXPECT_EQ(Tracked::live, 1);
  EXPECT_EQ(c->value, 1);
  c = nullptr;
  EXPECT_EQ(Tracked::live, 0);
}

TEST_F(OwnPtrTest, ResetLeakAndAdopt) {
  OwnPtr<Tracked> a = TryMakeOwn<Tracked>(1).release_value();
  a.reset(TryNew<Tracked>(2).release_value());
  EXPECT_EQ(Tracked::live, 1);
  EXPECT_EQ(a->value, 2);
  Tracked* raw = a.leak();
  EXPECT_FALSE(a);
  EXPECT_EQ(Tracked::live, 1);
  OwnPtr<Tracked> b = AdoptOwn(raw);
  EXPECT_EQ(b->value, 2);
}

struct Base {
  virtual ~Base() { ++destroyed; }
  virtual int Kind() const { return 0; }
  static inline int destroyed = 0;
};
struct Derived : Base {
  explicit Derived(int* flag) : flag_(flag) {}
  ~Derived() override { *flag_ = 1; }
  int Kind() const override { return 1; }
  int* flag_;
};

TEST_F(OwnPtrTest, ConvertsToBaseAndDestroysTheDerivedObject) {
  int derived_destroyed = 0;
  Base::destroyed = 0;
  {
    OwnPtr<Derived> d = TryMakeOwn<Derived>(&derived_destroyed).release_value();
    OwnPtr<Base> b(move(d));
    EXPECT_EQ(b->Kind(), 1);
    OwnPtr<Base> b2;
    b2 = TryMakeOwn<Derived>(&derived_destroyed).release_value();
    EXPECT_EQ(b2->Kind(), 1);
  }
  EXPECT_EQ(derived_destroyed, 1);
  EXPECT_EQ(Base::destroyed, 2);
}

TEST_F(OwnPtrTest, ExhaustionIsEnomemAndConstructsNothing) {
  ScopedHeapFailure fail(0);
  Result<OwnPtr<Tracked>> r = TryMakeOwn<Tracked>(1);
  EXPECT_EQ(r.error(), Errno::kENOMEM);
  EXPECT_EQ(Tracked::constructed, 0u);
}

TEST(OwnPtrDeathTest, NullDereferenceIsCaughtInDebugBuilds) {
  OwnPtr<Tracked> p;
  if constexpr (kDebugChecks) {
    EXPECT_DEATH((void)p->value, "KERNEL PANIC.*null OwnPtr");
  } else {
    EXPECT_EQ(p.operator->(), nullptr);
  }
}

}  // namespace
}  // namespace kernel::lib
