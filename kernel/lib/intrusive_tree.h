#pragma once
/// IntrusiveTree<T, &T::node_>: an AVL tree of non-overlapping [start, end) ranges, threaded
/// through a TreeNode inside each element, with the lookups an address space needs.
#include "kernel/lib/assert.h"
#include "kernel/lib/result.h"
#include "kernel/lib/std.h"
#include "kernel/lib/types.h"

namespace kernel::lib {

class TreeCore;

/// The links an element carries to be in an IntrusiveTree, and its key range [start, end).
/// A plain ordered map uses empty ranges (end == start), i.e. just a key. Like ListNode it is
/// neither copyable nor movable, and debug builds assert that it is unlinked when destroyed.
class TreeNode {
 public:
  TreeNode() = default;
  TreeNode(const TreeNode&) = delete;
  TreeNode& operator=(const TreeNode&) = delete;
  ~TreeNode() {
    ARAMID_DEBUG_ASSERT(!linked(), "TreeNode %p destroyed while in a tree",
                        static_cast<void*>(this));
  }

  bool linked() const { return height_ != 0; }
  u64 start() const { return start_; }
  u64 end() const { return end_; }
  u64 key() const { return start_; }

 private:
  friend class TreeCore;

  TreeNode* parent_ = nullptr;
  TreeNode* left_ = nullptr;
  TreeNode* right_ = nullptr;
  u64 start_ = 0;
  u64 end_ = 0;
  // The free space just below this node: start_ minus the end_ of the in-order predecessor
  // (or minus 0 for the first node). max_gap_ is the largest gap_ in this subtree, which lets
  // FindGap skip every subtree that cannot hold the request.
  u64 gap_ = 0;
  u64 max_gap_ = 0;
  i32 height_ = 0;  // 0: not in a tree
};

/// Where FindGap searches and which end of the range it prefers.
struct GapQuery {
  u64 size;   ///< bytes wanted; > 0
  u64 align;  ///< a power of two
  u64 lo;     ///< the result is >= lo
  u64 hi;     ///< the result + size <= hi
};

/// The untyped AVL machinery behind IntrusiveTree (kept out of the template so it is compiled
/// once). All operations are O(log n) unless noted.
class TreeCore {
 public:
  TreeCore() = default;
  TreeCore(const TreeCore&) = delete;
  TreeCore& operator=(const TreeCore&) = delete;

  usize size() const { return size_; }
  bool empty() const { return size_ == 0; }

  Result<void> Insert(TreeNode* node, u64 start, u64 end);
  void Remove(TreeNode* node);
  Result<void> UpdateRange(TreeNode* node, u64 start, u64 end);

  TreeNode* First() const;
  TreeNode* Last() const;
  static TreeNode* Next(const TreeNode* node);
  static TreeNode* Prev(const TreeNode* node);

  TreeNode* Find(u64 start) const;
  TreeNode* LowerBound(u64 key) const;
  TreeNode* UpperBound(u64 key) const;
  TreeNode* FindContaining(u64 addr) const;
  TreeNode* FindFirstEndAfter(u64 addr) const;
  TreeNode* FindFirstOverlap(u64 start, u64 end) const;
  Result<u64> FindGap(const GapQuery& q, bool highest) const;

  /// Unlinks every node in O(n), calling `fn(node, ctx)` on each after it is unlinked.
  void Clear(void (*fn)(TreeNode*, void*), void* ctx);
  /// Checks ordering, parent links, AVL balance, heights and the gap augmentation. O(n).
  bool Verify() const;

 private:
  static void Update(TreeNode* n);
  static i32 Height(const TreeNode* n) { return n != nullptr ? n->height_ : 0; }
  static u64 MaxGap(const TreeNode* n) { return n != nullptr ? n->max_gap_ : 0; }
  void Replace(TreeNode* old_child, TreeNode* parent, TreeNode* new_child);
  TreeNode* RotateLeft(TreeNode* x);
  TreeNode* RotateRight(TreeNode* x);
  TreeNode* Rebalance(TreeNode* n);
  void Retrace(TreeNode* from);
  static void Propagate(TreeNode* from);
  static void SetGap(TreeNode* n);

  TreeNode* root_ = nullptr;
  usize size_ = 0;
};

/// An intrusive, balanced (AVL) tree of T ordered by the start of each element's range,
/// linked through the member `kNode` (a `TreeNode T::*`). Ranges never overlap; a plain
/// ordered map uses empty ranges. The tree does not own its elements: Clear and destruction
/// unlink them (Clear(fn) hands each to `fn`, e.g. to delete it).
///
/// Beyond ordered-map operations (Find, LowerBound, UpperBound, First/Last, Next/Prev and
/// iteration both ways) it answers what mmap and page faults ask, in O(log n):
///   FindContaining(addr)      the element whose [start, end) contains addr
///   FindFirstEndAfter(addr)   the first element with end > addr (Linux's find_vma)
///   FindFirstOverlap(s, e)    the first element intersecting [s, e)
///   FindGap(size, align, lo, hi)  the lowest aligned free range of `size` inside [lo, hi);
///   FindGapTopDown(...)           the highest one (mmap's default, top-down placement)
/// FindGap is O(log n) thanks to a per-subtree maximum-gap augmentation; only gaps that are
/// large enough but cannot be aligned cost extra probes.
template <typename T, auto kNode>
class IntrusiveTree {
  static_assert(is_same_v<decltype(kNode), TreeNode T::*>,
                "kNode must be a pointer to a TreeNode member of T");

 public:
  /// A bidirectional in-order iterator; --end() is the last element.
  template <bool kConst>
  class IteratorBase {
   public:
    using Ref = conditional_t<kConst, const T&, T&>;
    using Ptr = conditional_t<kConst, const T*, T*>;
    Ref operator*() const { return *OwnerOf(node_); }
    Ptr operator->() const { return OwnerOf(node_); }
    IteratorBase& operator++() {
      node_ = TreeCore::Next(node_);
      return *this;
    }
    IteratorBase& operator--() {
      node_ = node_ == nullptr ? core_->Last() : TreeCore::Prev(node_);
      return *this;
    }
    bool operator==(const IteratorBase& other) const { return node_ == other.node_; }

   private:
    friend class IntrusiveTree;
    IteratorBase(const TreeCore* core, TreeNode* node) : core_(core), node_(node) {}
    const TreeCore* core_;
    TreeNode* node_;
  };
  using Iterator = IteratorBase<false>;
  using ConstIterator = IteratorBase<true>;

  IntrusiveTree() = default;
  IntrusiveTree(const IntrusiveTree&) = delete;
  IntrusiveTree& operator=(const IntrusiveTree&) = delete;
  ~IntrusiveTree() { Clear(); }

  usize size() const { return core_.size(); }
  bool empty() const { return core_.empty(); }

  Iterator begin() { return Iterator(&core_, core_.First()); }
  Iterator end() { return Iterator(&core_, nullptr); }
  ConstIterator begin() const { return ConstIterator(&core_, core_.First()); }
  ConstIterator end() const { return ConstIterator(&core_, nullptr); }

  /// Links `item` with the range [start, end). EINVAL if end < start; EEXIST if another
  /// element has the same start or overlaps the range (an empty range overlaps any range that
  /// strictly contains its point).
  Result<void> Insert(T& item, u64 start, u64 end) {
    return core_.Insert(&NodeOf(item), start, end);
  }
  /// Links `item` under the key `key` (the empty range [key, key)).
  Result<void> Insert(T& item, u64 key) { return core_.Insert(&NodeOf(item), key, key); }
  /// Unlinks `item`, which must be in this tree.
  void Remove(T& item) { core_.Remove(&NodeOf(item)); }
  /// Changes the range of a linked `item` in place (splitting or growing a VMA); the new range
  /// must keep it between its neighbours without overlapping them (EEXIST otherwise, EINVAL if
  /// end < start; the item is unchanged on error).
  Result<void> UpdateRange(T& item, u64 start, u64 end) {
    return core_.UpdateRange(&NodeOf(item), start, end);
  }

  T* First() const { return OwnerOrNull(core_.First()); }
  T* Last() const { return OwnerOrNull(core_.Last()); }
  T* Next(const T& item) const { return OwnerOrNull(TreeCore::Next(&NodeOf(item))); }
  T* Prev(const T& item) const { return OwnerOrNull(TreeCore::Prev(&NodeOf(item))); }

  /// The element whose start is exactly `start`.
  T* Find(u64 start) const { return OwnerOrNull(core_.Find(start)); }
  /// The first element with start >= key / start > key.
  T* LowerBound(u64 key) const { return OwnerOrNull(core_.LowerBound(key)); }
  T* UpperBound(u64 key) const { return OwnerOrNull(core_.UpperBound(key)); }
  /// The element with start <= addr < end.
  T* FindContaining(u64 addr) const { return OwnerOrNull(core_.FindContaining(addr)); }
  /// The first element with end > addr.
  T* FindFirstEndAfter(u64 addr) const { return OwnerOrNull(core_.FindFirstEndAfter(addr)); }
  /// The first element whose range intersects [start, end) (empty ranges never intersect).
  T* FindFirstOverlap(u64 start, u64 end) const {
    return OwnerOrNull(core_.FindFirstOverlap(start, end));
  }
  /// The lowest address a, aligned to `align` (a power of two), with lo <= a and
  /// a + size <= hi, such that [a, a + size) overlaps no element. ENOMEM if there is none,
  /// EINVAL for size 0 or a bad alignment.
  Result<u64> FindGap(u64 size, u64 align, u64 lo, u64 hi) const {
    return core_.FindGap(GapQuery{size, align, lo, hi}, false);
  }
  /// As FindGap, but the highest such address.
  Result<u64> FindGapTopDown(u64 size, u64 align, u64 lo, u64 hi) const {
    return core_.FindGap(GapQuery{size, align, lo, hi}, true);
  }

  /// Unlinks every element (they stay alive). O(n).
  void Clear() {
    core_.Clear([](TreeNode*, void*) {}, nullptr);
  }
  /// Unlinks every element and passes each to `fn(T&)` (which may destroy it). O(n).
  template <typename Fn>
  void Clear(Fn&& fn) {
    core_.Clear([](TreeNode* n, void* ctx) { (*static_cast<Fn*>(ctx))(*OwnerOf(n)); }, &fn);
  }

  /// Full structural check, for tests and debugging. O(n).
  bool Verify() const { return core_.Verify(); }

 private:
  static TreeNode& NodeOf(T& item) { return item.*kNode; }
  static const TreeNode& NodeOf(const T& item) { return item.*kNode; }
  static usize NodeOffset() {
    constexpr uptr kProbe = 0x10000;
    static_assert(alignof(T) <= kProbe);
    const T* probe = reinterpret_cast<const T*>(kProbe);
    return reinterpret_cast<uptr>(&(probe->*kNode)) - kProbe;
  }
  static T* OwnerOf(const TreeNode* node) {
    return reinterpret_cast<T*>(reinterpret_cast<char*>(const_cast<TreeNode*>(node)) -
                                NodeOffset());
  }
  static T* OwnerOrNull(const TreeNode* node) { return node == nullptr ? nullptr : OwnerOf(node); }

  TreeCore core_;
};

}  // namespace kernel::lib
