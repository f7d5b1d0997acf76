#include "kernel/lib/ref_ptr.h"

#include <gtest/gtest.h>

#include "kernel/lib/vector.h"
#include "tests/unit/lib/test_support.h"

namespace kernel::lib {
namespace {

using testing::LiveAllocations;
using testing::ScopedHeapFailure;

struct Node : RefCounted<Node> {
  explicit Node(int v) : value(v) { ++live; }
  ~Node() { --live; }
  int value;
  static inline int live = 0;
};

class RefPtrTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Node::live = 0;
    baseline_ = LiveAllocations();
  }
  void TearDown() override {
    EXPECT_EQ(Node::live, 0);
    EXPECT_EQ(LiveAllocations(), baseline_);
  }
  usize baseline_ = 0;
};

TEST_F(RefPtrTest, LastReferenceDestroys) {
  RefPtr<Node> a = TryMakeRef<Node>(7).release_value();
  EXPECT_EQ(a->ref_count_for_debug(), 1u);
  {
    // The copies are what is tested.
    RefPtr<Node> b = a;  // NOLINT(performance-unnecessary-copy-initialization)
    RefPtr<Node> c(b);   // NOLINT(performance-unnecessary-copy-initialization)
    EXPECT_EQ(a->ref_count_for_debug(), 3u);
    EXPECT_TRUE(b == a);
    EXPECT_EQ(c->value, 7);
  }
  EXPECT_EQ(a->ref_count_for_debug(), 1u);
  EXPECT_EQ(Node::live, 1);
  a.reset();
  EXPECT_EQ(Node::live, 0);
  EXPECT_FALSE(a);
}

TEST_F(RefPtrTest, MoveDoesNotTouchTheCount) {
  RefPtr<Node> a = TryMakeRef<Node>(1).release_value();
  RefPtr<Node> b(move(a));
  EXPECT_FALSE(a);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(b->ref_count_for_debug(), 1u);
  RefPtr<Node> c = TryMakeRef<Node>(2).release_value();
  c = move(b);  // drops the 2
  EXPECT_EQ(Node::live, 1);
  EXPECT_EQ(c->value, 1);
  EXPECT_EQ(c->ref_count_for_debug(), 1u);
}

TEST_F(RefPtrTest, SelfAssignmentKeepsTheObject) {
  RefPtr<Node> a = TryMakeRef<Node>(3).release_value();
  RefPtr<Node>& alias = a;
  a = alias;
  EXPECT_EQ(a->ref_count_for_debug(), 1u);
  a = move(alias);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->value, 3);
  EXPECT_EQ(Node::live, 1);
}

TEST_F(RefPtrTest, RawPointerConstructorTakesAReference) {
  RefPtr<Node> a = TryMakeRef<Node>(4).release_value();
  RefPtr<Node> from_this(a.get());
  EXPECT_EQ(a->ref_count_for_debug(), 2u);
}

TEST_F(RefPtrTest, LeakAndTakeBack) {
  RefPtr<Node> a = TryMakeRef<Node>(5).release_value();
  Node* parked = a.leak_ref();
  EXPECT_FALSE(a);
  EXPECT_EQ(parked->ref_count_for_debug(), 1u);
  EXPECT_EQ(Node::live, 1);
  RefPtr<Node> back = RefPtr<Node>::FromLeaked(parked);
  EXPECT_EQ(back->ref_count_for_debug(), 1u);
}

TEST_F(RefPtrTest, ManyHoldersInAVector) {
  RefPtr<Node> a = TryMakeRef<Node>(6).release_value();
  Vector<RefPtr<Node>> holders;
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(holders.TryPush(a).ok());
  EXPECT_EQ(a->ref_count_for_debug(), 101u);
  holders.Erase(0, 50);
  EXPECT_EQ(a->ref_count_for_debug(), 51u);
  a.reset();
  EXPECT_EQ(Node::live, 1);
  holders.Reset();
  EXPECT_EQ(Node::live, 0);
}

struct Shape : RefCounted<Shape> {
  virtual ~Shape() { ++destroyed; }
  virtual int Sides() const = 0;
  static inline int destroyed = 0;
};
struct Square : Shape {
  int Sides() const override { return 4; }
};

TEST_F(RefPtrTest, ConvertsToBase) {
  Shape::destroyed = 0;
  {
    RefPtr<Square> sq = TryMakeRef<Square>().release_value();
    RefPtr<Shape> shape = sq;
    EXPECT_EQ(shape->Sides(), 4);
    EXPECT_EQ(sq->ref_count_for_debug(), 2u);
    RefPtr<Shape> moved(move(sq));
    EXPECT_EQ(moved->ref_count_for_debug(), 2u);
  }
  EXPECT_EQ(Shape::destroyed, 1);
}

TEST_F(RefPtrTest, ExhaustionIsEnomem) {
  ScopedHeapFailure fail(0);
  EXPECT_EQ(TryMakeRef<Node>(1).error(), Errno::kENOMEM);
  EXPECT_EQ(Node::live, 0);
}

TEST(RefPtrDeathTest, MisuseOfTheCountPanics) {
  // A reference to an object that was never adopted would be freed while its creator still
  // thinks it owns it.
  EXPECT_DEATH(
      {
        Node* raw = TryNew<Node>(1).release_value();
        RefPtr<Node> r(raw);
      },
      "KERNEL PANIC.*AddRef on an unadopted object");
  EXPECT_DEATH(
      {
        RefPtr<Node> r = TryMakeRef<Node>(1).release_value();
        (void)AdoptRef(r.get());
      },
      "KERNEL PANIC.*adopted twice");
  EXPECT_DEATH(
      {
        RefPtr<Node> r = TryMakeRef<Node>(1).release_value();
        Node* raw = r.get();
        Delete(raw);  // destroyed behind the RefPtr's back
      },
      "KERNEL PANIC.*destroyed with 1 references");
}

TEST_F(RefPtrTest, UnadoptedObjectsMayBeDeletedDirectly) {
  Node* raw = TryNew<Node>(1).release_value();
  EXPECT_EQ(raw->ref_count_for_debug(), 0u);
  Delete(raw);
  EXPECT_EQ(Node::live, 0);
}

}  // namespace
}  // namespace kernel::lib
