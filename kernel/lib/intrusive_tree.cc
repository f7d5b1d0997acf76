// The AVL tree behind IntrusiveTree, with parent links and a max-gap augmentation in the
// manner of Linux's VMA tree before maple trees (rb_subtree_gap, mm/mmap.c): each node records
// the free space just below it, and each subtree the largest such gap, so the search for a free
// range skips whole subtrees. AVL rather than red-black because lookups (page faults) far
// outnumber updates (mmap/munmap) and AVL trees are shallower.
#include "kernel/lib/intrusive_tree.h"

namespace kernel::lib {

void TreeCore::Update(TreeNode* n) {
  n->height_ = 1 + max(Height(n->left_), Height(n->right_));
  n->max_gap_ = max(n->gap_, max(MaxGap(n->left_), MaxGap(n->right_)));
}

void TreeCore::SetGap(TreeNode* n) {
  TreeNode* pred = Prev(n);
  n->gap_ = n->start_ - (pred != nullptr ? pred->end_ : 0);
}

// Points `parent`'s link (or the root) that held `old_child` at `new_child`.
void TreeCore::Replace(TreeNode* old_child, TreeNode* parent, TreeNode* new_child) {
  if (parent == nullptr) {
    root_ = new_child;
  } else if (parent->left_ == old_child) {
    parent->left_ = new_child;
  } else {
    parent->right_ = new_child;
  }
  if (new_child != nullptr) new_child->parent_ = parent;
}

TreeNode* TreeCore::RotateLeft(TreeNode* x) {
  TreeNode* y = x->right_;
  Replace(x, x->parent_, y);
  x->right_ = y->left_;
  if (x->right_ != nullptr) x->right_->parent_ = x;
  y->left_ = x;
  x->parent_ = y;
  Update(x);
  Update(y);
  return y;
}

TreeNode* TreeCore::RotateRight(TreeNode* x) {
  TreeNode* y = x->left_;
  Replace(x, x->parent_, y);
  x->left_ = y->right_;
  if (x->left_ != nullptr) x->left_->parent_ = x;
  y->right_ = x;
  x->parent_ = y;
  Update(x);
  Update(y);
  return y;
}

// Restores the AVL property at `n` (whose children are balanced); returns the subtree's root.
TreeNode* TreeCore::Rebalance(TreeNode* n) {
  Update(n);
  i32 balance = Height(n->left_) - Height(n->right_);
  if (balance > 1) {
    if (Height(n->left_->left_) < Height(n->left_->right_)) RotateLeft(n->left_);
    return RotateRight(n);
  }
  if (balance < -1) {
    if (Height(n->right_->right_) < Height(n->right_->left_)) RotateRight(n->right_);
    return RotateLeft(n);
  }
  return n;
}

// Rebalances and refreshes the augmentation from `from` up to the root. Always goes all the
// way up: the gaps of ancestors can change even where the heights do not.
void TreeCore::Retrace(TreeNode* from) {
  for (TreeNode* n = from; n != nullptr; n = n->parent_) n = Rebalance(n);
}

// Refreshes heights and max gaps from `from` up (no structural change).
void TreeCore::Propagate(TreeNode* from) {
  for (TreeNode* n = from; n != nullptr; n = n->parent_) Update(n);
}

Result<void> TreeCore::Insert(TreeNode* node, u64 start, u64 end) {
  ARAMID_ASSERT(!node->linked(), "TreeNode %p is already in a tree", static_cast<void*>(node));
  if (end < start) return Errno::kEINVAL;
  TreeNode* parent = nullptr;
  bool left = false;
  for (TreeNode* n = root_; n != nullptr;) {
    parent = n;
    if (start == n->start_) return Errno::kEEXIST;
    left = start < n->start_;
    n = left ? n->left_ : n->right_;
  }
  // The neighbours-to-be: the parent is one of them, the other is its in-order neighbour.
  TreeNode* pred = parent == nullptr ? nullptr : left ? Prev(parent) : parent;
  TreeNode* succ = parent == nullptr ? nullptr : left ? parent : Next(parent);
  if (pred != nullptr && pred->end_ > start) return Errno::kEEXIST;
  if (succ != nullptr && succ->start_ < end) return Errno::kEEXIST;

  node->parent_ = parent;
  node->left_ = node->right_ = nullptr;
  node->start_ = start;
  node->end_ = end;
  node->gap_ = start - (pred != nullptr ? pred->end_ : 0);
  node->height_ = 1;
  node->max_gap_ = node->gap_;
  if (parent == nullptr) {
    root_ = node;
  } else if (left) {
    parent->left_ = node;
  } else {
    parent->right_ = node;
  }
  ++size_;
  Retrace(parent);
  if (succ != nullptr) {
    succ->gap_ = succ->start_ - end;
    Propagate(succ);
  }
  return Ok();
}

void TreeCore::Remove(TreeNode* node) {
  ARAMID_ASSERT(node->linked(), "TreeNode %p is not in a tree", static_cast<void*>(node));
  TreeNode* pred = Prev(node);
  TreeNode* succ = Next(node);
  TreeNode* retrace_from;
  if (node->left_ != nullptr && node->right_ != nullptr) {
    // Two children: the successor (leftmost of the right subtree) takes the node's place.
    TreeNode* s = succ;
    if (s == node->right_) {
      retrace_from = s;
    } else {
      retrace_from = s->parent_;
      s->parent_->left_ = s->right_;
      if (s->right_ != nullptr) s->right_->parent_ = s->parent_;
      s->right_ = node->right_;
      s->right_->parent_ = s;
    }
    s->left_ = node->left_;
    s->left_->parent_ = s;
    Replace(node, node->parent_, s);
  } else {
    TreeNode* child = node->left_ != nullptr ? node->left_ : node->right_;
    retrace_from = node->parent_;
    Replace(node, node->parent_, child);
  }
  node->parent_ = node->left_ = node->right_ = nullptr;
  node->height_ = 0;
  --size_;
  if (succ != nullptr) succ->gap_ = succ->start_ - (pred != nullptr ? pred->end_ : 0);
  Retrace(retrace_from);
  if (succ != nullptr) Propagate(succ);
}

Result<void> TreeCore::UpdateRange(TreeNode* node, u64 start, u64 end) {
  ARAMID_ASSERT(node->linked(), "TreeNode %p is not in a tree", static_cast<void*>(node));
  if (end < start) return Errno::kEINVAL;
  TreeNode* pred = Prev(node);
  TreeNode* succ = Next(node);
  if (pred != nullptr && (pred->start_ >= start || pred->end_ > start)) return Errno::kEEXIST;
  if (succ != nullptr && (succ->start_ <= start || succ->start_ < end)) return Errno::kEEXIST;
  node->start_ = start;
  node->end_ = end;
  SetGap(node);
  Propagate(node);
  if (succ != nullptr) {
    succ->gap_ = succ->start_ - end;
    Propagate(succ);
  }
  return Ok();
}

TreeNode* TreeCore::First() const {
  TreeNode* n = root_;
  while (n != nullptr && n->left_ != nullptr) n = n->left_;
  return n;
}

TreeNode* TreeCore::Last() const {
  TreeNode* n = root_;
  while (n != nullptr && n->right_ != nullptr) n = n->right_;
  return n;
}

TreeNode* TreeCore::Next(const TreeNode* node) {
  if (node->right_ != nullptr) {
    TreeNode* n = node->right_;
    while (n->left_ != nullptr) n = n->left_;
    return n;
  }
  const TreeNode* n = node;
  while (n->parent_ != nullptr && n->parent_->right_ == n) n = n->parent_;
  return n->parent_;
}

TreeNode* TreeCore::Prev(const TreeNode* node) {
  if (node->left_ != nullptr) {
    TreeNode* n = node->left_;
    while (n->right_ != nullptr) n = n->right_;
    return n;
  }
  const TreeNode* n = node;
  while (n->parent_ != nullptr && n->parent_->left_ == n) n = n->parent_;
  return n->parent_;
}

TreeNode* TreeCore::Find(u64 start) const {
  TreeNode* n = root_;
  while (n != nullptr && n->start_ != start) n = start < n->start_ ? n->left_ : n->right_;
  return n;
}

TreeNode* TreeCore::LowerBound(u64 key) const {
  TreeNode* best = nullptr;
  for (TreeNode* n = root_; n != nullptr;) {
    if (n->start_ >= key) {
      best = n;
      n = n->left_;
    } else {
      n = n->right_;
    }
  }
  return best;
}

TreeNode* TreeCore::UpperBound(u64 key) const {
  TreeNode* best = nullptr;
  for (TreeNode* n = root_; n != nullptr;) {
    if (n->start_ > key) {
      best = n;
      n = n->left_;
    } else {
      n = n->right_;
    }
  }
  return best;
}

TreeNode* TreeCore::FindContaining(u64 addr) const {
  // The last node starting at or below addr is the only candidate: ranges do not overlap.
  TreeNode* best = nullptr;
  for (TreeNode* n = root_; n != nullptr;) {
    if (n->start_ <= addr) {
      best = n;
      n = n->right_;
    } else {
      n = n->left_;
    }
  }
  return best != nullptr && addr < best->end_ ? best : nullptr;
}

TreeNode* TreeCore::FindFirstEndAfter(u64 addr) const {
  // Non-overlapping ranges sorted by start are sorted by end as well.
  TreeNode* best = nullptr;
  for (TreeNode* n = root_; n != nullptr;) {
    if (n->end_ > addr) {
      best = n;
      n = n->left_;
    } else {
      n = n->right_;
    }
  }
  return best;
}

TreeNode* TreeCore::FindFirstOverlap(u64 start, u64 end) const {
  if (end <= start) return nullptr;
  for (TreeNode* n = FindFirstEndAfter(start); n != nullptr && n->start_ < end; n = Next(n)) {
    if (n->start_ != n->end_) return n;  // empty ranges in the way are skipped
  }
  return nullptr;
}

namespace {

// The lowest / highest aligned address for `q` inside the free range [gs, ge).
optional<u64> FitLowest(const GapQuery& q, u64 gs, u64 ge) {
  u64 s = max(gs, q.lo);
  u64 e = min(ge, q.hi);
  if (e <= s || e - s < q.size) return nullopt;
  u64 a;
  if (AddOverflows(s, q.align - 1, &a)) return nullopt;
  a &= ~(q.align - 1);
  if (a > e - q.size) return nullopt;
  return a;
}

optional<u64> FitHighest(const GapQuery& q, u64 gs, u64 ge) {
  u64 s = max(gs, q.lo);
  u64 e = min(ge, q.hi);
  if (e <= s || e - s < q.size) return nullopt;
  u64 a = (e - q.size) & ~(q.align - 1);
  if (a < s) return nullopt;
  return a;
}

}  // namespace

Result<u64> TreeCore::FindGap(const GapQuery& q, bool highest) const {
  if (q.size == 0 || q.align == 0 || (q.align & (q.align - 1)) != 0) return Errno::kEINVAL;
  if (q.hi <= q.lo || q.hi - q.lo < q.size) return Errno::kENOMEM;
  // Gaps are [start - gap, start) below each node, plus the space above the last node.
  struct Walker {
    const GapQuery& q;
    bool highest;
    optional<u64> Visit(const TreeNode* n) const {
      if (n == nullptr || n->max_gap_ < q.size) return nullopt;
      u64 gap_start = n->start_ - n->gap_;
      // Every gap in the left subtree ends at or below gap_start; every gap in the right
      // subtree starts at or above n->end_.
      bool left_useful = n->left_ != nullptr && gap_start >= q.lo + q.size;
      bool right_useful = n->right_ != nullptr && n->end_ <= q.hi - q.size;
      if (!highest) {
        if (left_useful) {
          if (auto a = Visit(n->left_)) return a;
        }
        if (auto a = FitLowest(q, gap_start, n->start_)) return a;
        if (right_useful) return Visit(n->right_);
      } else {
        if (right_useful) {
          if (auto a = Visit(n->right_)) return a;
        }
        if (auto a = FitHighest(q, gap_start, n->start_)) return a;
        if (left_useful) return Visit(n->left_);
      }
      return nullopt;
    }
  };
  Walker w{q, highest};
  const TreeNode* last = Last();
  u64 top_start = last != nullptr ? last->end_ : 0;
  // The space above the last node ends at 2^64, which q.hi clips anyway; ~0 stands in.
  if (highest) {
    if (auto a = FitHighest(q, top_start, ~u64{0})) return *a;
    if (auto a = w.Visit(root_)) return *a;
  } else {
    if (auto a = w.Visit(root_)) return *a;
    if (auto a = FitLowest(q, top_start, ~u64{0})) return *a;
  }
  return Errno::kENOMEM;
}

void TreeCore::Clear(void (*fn)(TreeNode*, void*), void* ctx) {
  // Post-order, so each node is unlinked after its children and can be destroyed at once.
  TreeNode* n = root_;
  root_ = nullptr;
  size_ = 0;
  while (n != nullptr) {
    if (n->left_ != nullptr) {
      n = n->left_;
    } else if (n->right_ != nullptr) {
      n = n->right_;
    } else {
      TreeNode* parent = n->parent_;
      if (parent != nullptr) {
        if (parent->left_ == n) {
          parent->left_ = nullptr;
        } else {
          parent->right_ = nullptr;
        }
      }
      n->parent_ = nullptr;
      n->height_ = 0;
      fn(n, ctx);
      n = parent;
    }
  }
}

bool TreeCore::Verify() const {
  // Iterative in-order walk checking each node's invariants; heights are re-derived bottom-up
  // by checking every node against its children.
  usize count = 0;
  const TreeNode* prev = nullptr;
  for (const TreeNode* n = First(); n != nullptr; n = Next(n)) {
    ++count;
    if (!n->linked() || n->end_ < n->start_) return false;
    if (n->left_ != nullptr && n->left_->parent_ != n) return false;
    if (n->right_ != nullptr && n->right_->parent_ != n) return false;
    if (n->parent_ == nullptr && n != root_) return false;
    i32 hl = Height(n->left_), hr = Height(n->right_);
    if (n->height_ != 1 + max(hl, hr) || hl - hr > 1 || hr - hl > 1) return false;
    u64 expected_gap = n->start_ - (prev != nullptr ? prev->end_ : 0);
    if (prev != nullptr && (prev->start_ >= n->start_ || prev->end_ > n->start_)) return false;
    if (n->gap_ != expected_gap) return false;
    if (n->max_gap_ != max(n->gap_, max(MaxGap(n->left_), MaxGap(n->right_)))) return false;
    prev = n;
  }
  return count == size_ && (root_ == nullptr || root_->parent_ == nullptr);
}

}  // namespace kernel::lib
