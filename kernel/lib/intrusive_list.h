#pragma once
/// IntrusiveList<T, &T::node_>: a doubly linked list threaded through a ListNode inside each
/// element. Nothing allocates; every operation except Contains/Clear is O(1).
#include "kernel/lib/assert.h"
#include "kernel/lib/std.h"
#include "kernel/lib/types.h"

namespace kernel::lib {

template <typename T, auto kNode>
class IntrusiveList;

/// The links an element carries for one list it can be on (one ListNode per list). A node
/// is unlinked when constructed; it must be unlinked again before it is destroyed, which debug
/// builds assert (an element destroyed while on a list leaves the list dangling). Nodes are
/// neither copyable nor movable: an element's identity is its address.
class ListNode {
 public:
  ListNode() = default;
  ListNode(const ListNode&) = delete;
  ListNode& operator=(const ListNode&) = delete;
  ~ListNode() {
    ARAMID_DEBUG_ASSERT(!linked(), "ListNode %p destroyed while on a list",
                        static_cast<void*>(this));
  }

  /// Whether the node is on a list.
  bool linked() const { return next_ != nullptr; }

 private:
  template <typename T, auto kNode>
  friend class IntrusiveList;

  ListNode* prev_ = nullptr;
  ListNode* next_ = nullptr;
};

/// A list of T linked through the member `kNode` (a `ListNode T::*`, e.g. `&Task::run_node_`).
/// The list does not own its elements: destroying or clearing it unlinks them and leaves them
/// alive. An element may be on several lists through several nodes. Removing an element
/// while iterating is safe if the iterator is advanced first, or with Erase(it) / RemoveIf.
///
///   struct Waiter { ListNode node; int id; };
///   IntrusiveList<Waiter, &Waiter::node> waiters;
///   waiters.PushBack(w);
///   for (Waiter& w : waiters) ...
template <typename T, auto kNode>
class IntrusiveList {
  static_assert(is_same_v<decltype(kNode), ListNode T::*>,
                "kNode must be a pointer to a ListNode member of T");

 public:
  /// A bidirectional iterator; end() is the list's sentinel, so --end() is the last element.
  template <bool kConst>
  class IteratorBase {
   public:
    using Ref = conditional_t<kConst, const T&, T&>;
    using Ptr = conditional_t<kConst, const T*, T*>;

    IteratorBase() = default;
    Ref operator*() const { return *OwnerOf(node_); }
    Ptr operator->() const { return OwnerOf(node_); }
    IteratorBase& operator++() {
      node_ = node_->next_;
      return *this;
    }
    IteratorBase operator++(int) {
      IteratorBase old = *this;
      node_ = node_->next_;
      return old;
    }
    IteratorBase& operator--() {
      node_ = node_->prev_;
      return *this;
    }
    IteratorBase operator--(int) {
      IteratorBase old = *this;
      node_ = node_->prev_;
      return old;
    }
    bool operator==(const IteratorBase& other) const { return node_ == other.node_; }

   private:
    friend class IntrusiveList;
    explicit IteratorBase(ListNode* node) : node_(node) {}
    ListNode* node_ = nullptr;
  };
  using Iterator = IteratorBase<false>;
  using ConstIterator = IteratorBase<true>;

  IntrusiveList() { head_.prev_ = head_.next_ = &head_; }
  IntrusiveList(const IntrusiveList&) = delete;
  IntrusiveList& operator=(const IntrusiveList&) = delete;
  /// Takes every element of `other`, which is left empty.
  IntrusiveList(IntrusiveList&& other) noexcept : IntrusiveList() { Splice(other); }
  IntrusiveList& operator=(IntrusiveList&& other) noexcept {
    if (this != &other) {
      Clear();
      Splice(other);
    }
    return *this;
  }
  ~IntrusiveList() {
    Clear();
    head_.prev_ = head_.next_ = nullptr;  // so the sentinel's own destructor is satisfied
  }

  bool empty() const { return head_.next_ == &head_; }
  usize size() const { return size_; }

  Iterator begin() { return Iterator(head_.next_); }
  Iterator end() { return Iterator(&head_); }
  ConstIterator begin() const { return ConstIterator(head_.next_); }
  ConstIterator end() const { return ConstIterator(const_cast<ListNode*>(&head_)); }

  /// The first / last element, or null when empty.
  T* Front() { return empty() ? nullptr : OwnerOf(head_.next_); }
  T* Back() { return empty() ? nullptr : OwnerOf(head_.prev_); }
  const T* Front() const { return empty() ? nullptr : OwnerOf(head_.next_); }
  const T* Back() const { return empty() ? nullptr : OwnerOf(head_.prev_); }

  /// The element after / before `item` on this list, or null at the end.
  T* Next(T& item) {
    ListNode* n = NodeOf(item).next_;
    return n == &head_ ? nullptr : OwnerOf(n);
  }
  T* Prev(T& item) {
    ListNode* n = NodeOf(item).prev_;
    return n == &head_ ? nullptr : OwnerOf(n);
  }

  /// Links `item`, which must not be on a list through this node.
  void PushFront(T& item) { LinkAfter(&head_, NodeOf(item)); }
  void PushBack(T& item) { LinkAfter(head_.prev_, NodeOf(item)); }
  /// Links `item` just before `position` (end(): at the back).
  void InsertBefore(Iterator position, T& item) { LinkAfter(position.node_->prev_, NodeOf(item)); }
  /// Links `item` just after `anchor`, which must be on this list.
  void InsertAfter(T& anchor, T& item) { LinkAfter(&NodeOf(anchor), NodeOf(item)); }

  /// Unlinks and returns the first / last element, or null when empty.
  T* PopFront() {
    if (empty()) return nullptr;
    T* item = OwnerOf(head_.next_);
    Unlink(*head_.next_);
    return item;
  }
  T* PopBack() {
    if (empty()) return nullptr;
    T* item = OwnerOf(head_.prev_);
    Unlink(*head_.prev_);
    return item;
  }

  /// Unlinks `item`, which must be on this list (O(1); membership is not checked).
  void Remove(T& item) { Unlink(NodeOf(item)); }
  /// Unlinks the element at `it` and returns the iterator after it.
  Iterator Erase(Iterator it) {
    ListNode* next = it.node_->next_;
    Unlink(*it.node_);
    return Iterator(next);
  }
  /// Unlinks every element for which `pred(element)` is true; returns how many.
  template <typename Pred>
  usize RemoveIf(Pred pred) {
    usize removed = 0;
    for (Iterator it = begin(); it != end();) {
      if (pred(*it)) {
        it = Erase(it);
        ++removed;
      } else {
        ++it;
      }
    }
    return removed;
  }

  /// Whether `item` is on this list. O(n): for assertions and tests.
  bool Contains(const T& item) const {
    for (const T& x : *this) {
      if (&x == &item) return true;
    }
    return false;
  }

  /// Moves every element of `other` to the back of this list, in order. O(1).
  void Splice(IntrusiveList& other) {
    if (&other == this || other.empty()) return;
    ListNode* first = other.head_.next_;
    ListNode* last = other.head_.prev_;
    first->prev_ = head_.prev_;
    head_.prev_->next_ = first;
    last->next_ = &head_;
    head_.prev_ = last;
    size_ += other.size_;
    other.head_.prev_ = other.head_.next_ = &other.head_;
    other.size_ = 0;
  }

  /// Unlinks every element (they stay alive). O(n).
  void Clear() {
    while (!empty()) Unlink(*head_.next_);
  }

 private:
  static ListNode& NodeOf(T& item) { return item.*kNode; }
  static const ListNode& NodeOf(const T& item) { return item.*kNode; }

  // container_of: the offset of the node inside T, measured on a suitably aligned address
  // (never dereferenced) so that no null-pointer arithmetic is involved.
  static usize NodeOffset() {
    constexpr uptr kProbe = 0x10000;
    static_assert(alignof(T) <= kProbe);
    const T* probe = reinterpret_cast<const T*>(kProbe);
    return reinterpret_cast<uptr>(&(probe->*kNode)) - kProbe;
  }
  static T* OwnerOf(ListNode* node) {
    return reinterpret_cast<T*>(reinterpret_cast<char*>(node) - NodeOffset());
  }
  static const T* OwnerOf(const ListNode* node) {
    return reinterpret_cast<const T*>(reinterpret_cast<const char*>(node) - NodeOffset());
  }

  void LinkAfter(ListNode* prev, ListNode& node) {
    ARAMID_ASSERT(!node.linked(), "ListNode %p is already on a list", static_cast<void*>(&node));
    ListNode* next = prev->next_;
    node.prev_ = prev;
    node.next_ = next;
    prev->next_ = &node;
    next->prev_ = &node;
    ++size_;
  }
  void Unlink(ListNode& node) {
    ARAMID_ASSERT(node.linked() && &node != &head_, "ListNode %p is not on a list",
                  static_cast<void*>(&node));
    node.prev_->next_ = node.next_;
    node.next_->prev_ = node.prev_;
    node.prev_ = node.next_ = nullptr;
    --size_;
  }

  ListNode head_;  // sentinel: head_.next_ is the first element, head_.prev_ the last
  usize size_ = 0;
};

}  // namespace kernel::lib
