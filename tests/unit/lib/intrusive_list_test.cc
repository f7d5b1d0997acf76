#include "kernel/lib/intrusive_list.h"

#include <gtest/gtest.h>

#include <list>
#include <memory>
#include <random>
#include <vector>

namespace kernel::lib {
namespace {

struct Item {
  explicit Item(int v = 0) : value(v) {}
  int value;
  ListNode node;        // not first: exercises the container_of offset
  ListNode other_node;  // a second list the same item can be on
};
using List = IntrusiveList<Item, &Item::node>;
using OtherList = IntrusiveList<Item, &Item::other_node>;

std::vector<int> Values(const List& l) {
  std::vector<int> out;
  for (const Item& i : l) out.push_back(i.value);
  return out;
}
std::vector<int> ValuesBackwards(List& l) {
  std::vector<int> out;
  for (Item* i = l.Back(); i != nullptr; i = l.Prev(*i)) out.push_back(i->value);
  return out;
}

TEST(IntrusiveListTest, EmptyList) {
  List l;
  EXPECT_TRUE(l.empty());
  EXPECT_EQ(l.size(), 0u);
  EXPECT_EQ(l.begin(), l.end());
  EXPECT_EQ(l.Front(), nullptr);
  EXPECT_EQ(l.Back(), nullptr);
  EXPECT_EQ(l.PopFront(), nullptr);
  EXPECT_EQ(l.PopBack(), nullptr);
  l.Clear();
}

TEST(IntrusiveListTest, PushPopBothEnds) {
  Item a(1), b(2), c(3);
  List l;
  l.PushBack(b);
  l.PushFront(a);
  l.PushBack(c);
  EXPECT_EQ(Values(l), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(ValuesBackwards(l), (std::vector<int>{3, 2, 1}));
  EXPECT_EQ(l.size(), 3u);
  EXPECT_TRUE(a.node.linked());
  EXPECT_EQ(l.Front(), &a);
  EXPECT_EQ(l.Back(), &c);
  EXPECT_EQ(l.Next(a), &b);
  EXPECT_EQ(l.Next(c), nullptr);
  EXPECT_EQ(l.Prev(a), nullptr);
  EXPECT_EQ(l.PopFront(), &a);
  EXPECT_FALSE(a.node.linked());
  EXPECT_EQ(l.PopBack(), &c);
  EXPECT_EQ(l.PopBack(), &b);
  EXPECT_TRUE(l.empty());
}

TEST(IntrusiveListTest, InsertAndRemoveAnywhere) {
  Item items[5] = {Item(0), Item(1), Item(2), Item(3), Item(4)};
  List l;
  l.PushBack(items[0]);
  l.PushBack(items[4]);
  l.InsertAfter(items[0], items[2]);
  l.InsertBefore(l.end(), items[3]);  // at the back
  EXPECT_EQ(Values(l), (std::vector<int>{0, 2, 4, 3}));
  auto it = l.begin();
  ++it;
  l.InsertBefore(it, items[1]);
  EXPECT_EQ(Values(l), (std::vector<int>{0, 1, 2, 4, 3}));
  l.Remove(items[4]);
  l.Remove(items[0]);
  EXPECT_EQ(Values(l), (std::vector<int>{1, 2, 3}));
  EXPECT_FALSE(l.Contains(items[0]));
  EXPECT_TRUE(l.Contains(items[2]));
  // An unlinked item can be linked again.
  l.PushFront(items[4]);
  EXPECT_EQ(Values(l), (std::vector<int>{4, 1, 2, 3}));
  l.Clear();
  for (Item& i : items) EXPECT_FALSE(i.node.linked());
}

TEST(IntrusiveListTest, IteratorsGoBothWays) {
  Item a(1), b(2), c(3);
  List l;
  l.PushBack(a);
  l.PushBack(b);
  l.PushBack(c);
  auto it = l.end();
  --it;
  EXPECT_EQ(it->value, 3);
  it--;
  EXPECT_EQ((*it).value, 2);
  auto old = it++;
  EXPECT_EQ(old->value, 2);
  EXPECT_EQ(it->value, 3);
  ++it;
  EXPECT_EQ(it, l.end());
  const List& cl = l;
  int sum = 0;
  for (const Item& i : cl) sum += i.value;
  EXPECT_EQ(sum, 6);
  for (Item& i : l) i.value *= 10;
  EXPECT_EQ(Values(l), (std::vector<int>{10, 20, 30}));
  l.Clear();
}

TEST(IntrusiveListTest, RemovingWhileIterating) {
  std::vector<std::unique_ptr<Item>> storage;
  List l;
  for (int i = 0; i < 10; ++i) {
    storage.push_back(std::make_unique<Item>(i));
    l.PushBack(*storage.back());
  }
  // Erase returns the next position.
  for (auto it = l.begin(); it != l.end();) {
    if (it->value % 3 == 0) {
      it = l.Erase(it);
    } else {
      ++it;
    }
  }
  EXPECT_EQ(Values(l), (std::vector<int>{1, 2, 4, 5, 7, 8}));
  // Advancing before removing is also safe.
  for (auto it = l.begin(); it != l.end();) {
    Item& cur = *it++;
    if (cur.value % 2 == 0) l.Remove(cur);
  }
  EXPECT_EQ(Values(l), (std::vector<int>{1, 5, 7}));
  EXPECT_EQ(l.RemoveIf([](const Item& i) { return i.value > 4; }), 2u);
  EXPECT_EQ(Values(l), (std::vector<int>{1}));
  EXPECT_EQ(l.size(), 1u);
  l.Clear();
}

TEST(IntrusiveListTest, OneItemOnTwoLists) {
  Item a(1), b(2);
  List l;
  OtherList o;
  l.PushBack(a);
  l.PushBack(b);
  o.PushBack(b);
  o.PushBack(a);
  EXPECT_EQ(Values(l), (std::vector<int>{1, 2}));
  EXPECT_EQ(o.Front(), &b);
  l.Remove(a);
  EXPECT_TRUE(a.other_node.linked());
  EXPECT_EQ(o.Back(), &a);
  o.Clear();
  l.Clear();
}

TEST(IntrusiveListTest, SpliceAndMove) {
  Item items[6] = {Item(0), Item(1), Item(2), Item(3), Item(4), Item(5)};
  List a, b;
  for (int i = 0; i < 3; ++i) a.PushBack(items[i]);
  for (int i = 3; i < 6; ++i) b.PushBack(items[i]);
  a.Splice(b);
  EXPECT_EQ(Values(a), (std::vector<int>{0, 1, 2, 3, 4, 5}));
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(a.size(), 6u);
  a.Splice(b);  // empty
  a.Splice(a);  // itself: nothing
  EXPECT_EQ(a.size(), 6u);
  List c(move(a));
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(Values(c), (std::vector<int>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(ValuesBackwards(c), (std::vector<int>{5, 4, 3, 2, 1, 0}));
  c.Remove(items[0]);
  b.PushBack(items[0]);
  b = move(c);  // unlinks b's old element, takes c's
  EXPECT_FALSE(items[0].node.linked());
  EXPECT_EQ(Values(b), (std::vector<int>{1, 2, 3, 4, 5}));
  b.Clear();
}

TEST(IntrusiveListTest, DestroyingAListUnlinksItsElements) {
  Item a(1);
  {
    List l;
    l.PushBack(a);
  }
  EXPECT_FALSE(a.node.linked());
}

TEST(IntrusiveListTest, RandomizedAgainstStdList) {
  std::mt19937 rng(7);
  constexpr int kItems = 64;
  std::vector<std::unique_ptr<Item>> items;
  items.reserve(kItems);
  for (int i = 0; i < kItems; ++i) items.push_back(std::make_unique<Item>(i));
  List l;
  std::list<int> ref;
  for (int step = 0; step < 20000; ++step) {
    Item& item = *items[rng() % kItems];
    switch (rng() % 6) {
      case 0:
        if (!item.node.linked()) {
          l.PushBack(item);
          ref.push_back(item.value);
        }
        break;
      case 1:
        if (!item.node.linked()) {
          l.PushFront(item);
          ref.push_front(item.value);
        }
        break;
      case 2:
        if (item.node.linked()) {
          l.Remove(item);
          ref.remove(item.value);
        }
        break;
      case 3:
        if (Item* p = l.PopFront()) {
          ASSERT_EQ(p->value, ref.front());
          ref.pop_front();
        }
        break;
      case 4: {
        // Insert after a random linked element.
        Item& anchor = *items[rng() % kItems];
        if (anchor.node.linked() && !item.node.linked()) {
          l.InsertAfter(anchor, item);
          auto pos = std::find(ref.begin(), ref.end(), anchor.value);
          ref.insert(std::next(pos), item.value);
        }
        break;
      }
      case 5:
        if (Item* p = l.PopBack()) {
          ASSERT_EQ(p->value, ref.back());
          ref.pop_back();
        }
        break;
    }
    ASSERT_EQ(l.size(), ref.size());
    if (step % 64 == 0) {
      ASSERT_EQ(Values(l), std::vector<int>(ref.begin(), ref.end())) << "step " << step;
      std::vector<int> backwards(ref.rbegin(), ref.rend());
      ASSERT_EQ(ValuesBackwards(l), backwards);
    }
  }
  l.Clear();
}

TEST(IntrusiveListDeathTest, DoubleLinkAndStrayRemovePanic) {
  EXPECT_DEATH(
      {
        Item a;
        List l;
        List m;
        l.PushBack(a);
        m.PushBack(a);
      },
      "KERNEL PANIC.*already on a list");
  EXPECT_DEATH(
      {
        Item a;
        List l;
        l.Remove(a);
      },
      "KERNEL PANIC.*not on a list");
}

TEST(IntrusiveListDeathTest, DestroyingALinkedNodeIsCaughtInDebugBuilds) {
  if constexpr (kDebugChecks) {
    EXPECT_DEATH(
        {
          List l;
          auto* item = new Item(1);
          l.PushBack(*item);
          delete item;
        },
        "KERNEL PANIC.*destroyed while on a list");
  } else {
    // Release builds skip the check; a correctly unlinked node is of course still fine.
    Item* item = new Item(1);
    List l;
    l.PushBack(*item);
    l.Remove(*item);
    delete item;
    EXPECT_TRUE(l.empty());
  }
}

}  // namespace
}  // namespace kernel::lib
