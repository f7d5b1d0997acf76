#pragma once
/// HashMap<K, V>: an open-addressing hash table whose every allocation is fallible.
#include "kernel/lib/alloc.h"
#include "kernel/lib/assert.h"
#include "kernel/lib/hash.h"
#include "kernel/lib/result.h"
#include "kernel/lib/std.h"

namespace kernel::lib {

/// A hash map with linear probing and backward-shift deletion (no tombstones), kept at most
/// 3/4 full; capacities are powers of two. Every operation that may allocate returns ENOMEM
/// and leaves the map, and the arguments, untouched when the heap is exhausted; a rehash
/// builds the new table completely before giving up the old one.
///
/// Lookups are transparent: Find/Contains/Erase accept any Q with `Hash{}(q)` consistent with
/// the key's hash and `key == q` (a HashMap<String, V> is searched with a string_view).
/// Insertion, erasure and rehashing move entries: pointers to values and iterators are
/// invalidated by any insert or erase. The iteration order is unspecified.
///
///   HashMap<u64, Page*> pages;
///   TRY(pages.TryInsert(addr, page));
///   if (Page** p = pages.Find(addr)) ...
template <typename K, typename V, typename Hash = DefaultHash>
class HashMap {
 public:
  /// One key/value pair. Do not modify `key` through an iterator.
  struct Entry {
    K key;
    V value;
  };

  template <bool kConst>
  class IteratorBase {
   public:
    using Ref = conditional_t<kConst, const Entry&, Entry&>;
    using Ptr = conditional_t<kConst, const Entry*, Entry*>;
    Ref operator*() const { return map_->slots_[index_]; }
    Ptr operator->() const { return &map_->slots_[index_]; }
    IteratorBase& operator++() {
      index_ = map_->NextOccupied(index_ + 1);
      return *this;
    }
    bool operator==(const IteratorBase& other) const { return index_ == other.index_; }

   private:
    friend class HashMap;
    using MapPtr = conditional_t<kConst, const HashMap*, HashMap*>;
    IteratorBase(MapPtr map, usize index) : map_(map), index_(index) {}
    MapPtr map_;
    usize index_;
  };
  using Iterator = IteratorBase<false>;
  using ConstIterator = IteratorBase<true>;

  HashMap() = default;
  HashMap(const HashMap&) = delete;
  HashMap& operator=(const HashMap&) = delete;
  HashMap(HashMap&& other) noexcept
      : slots_(exchange(other.slots_, nullptr)),
        used_(exchange(other.used_, nullptr)),
        capacity_(exchange(other.capacity_, 0)),
        size_(exchange(other.size_, 0)) {}
  HashMap& operator=(HashMap&& other) noexcept {
    if (this != &other) {
      Reset();
      slots_ = exchange(other.slots_, nullptr);
      used_ = exchange(other.used_, nullptr);
      capacity_ = exchange(other.capacity_, 0);
      size_ = exchange(other.size_, 0);
    }
    return *this;
  }
  ~HashMap() { Reset(); }

  usize size() const { return size_; }
  bool empty() const { return size_ == 0; }
  /// Slots in the table; up to 3/4 of them can be used before a rehash.
  usize capacity() const { return capacity_; }

  Iterator begin() { return Iterator(this, NextOccupied(0)); }
  Iterator end() { return Iterator(this, capacity_); }
  ConstIterator begin() const { return ConstIterator(this, NextOccupied(0)); }
  ConstIterator end() const { return ConstIterator(this, capacity_); }

  /// The value stored under `key`, or null.
  template <typename Q = K>
  V* Find(const Q& key) {
    usize i = Locate(key);
    return i == kNotFound ? nullptr : &slots_[i].value;
  }
  template <typename Q = K>
  const V* Find(const Q& key) const {
    usize i = Locate(key);
    return i == kNotFound ? nullptr : &slots_[i].value;
  }
  template <typename Q = K>
  bool Contains(const Q& key) const {
    return Locate(key) != kNotFound;
  }

  /// Adds `key` with a value constructed from `value_args`; EEXIST (and no change) if the key
  /// is present. Returns the stored value.
  template <typename KA, typename... VA>
  Result<V*> TryInsert(KA&& key, VA&&... value_args) {
    u64 h = Hash{}(key);
    if (Locate(key, h) != kNotFound) return Errno::kEEXIST;
    return Insert(h, forward<KA>(key), forward<VA>(value_args)...);
  }
  /// Adds `key` or, if present, assigns `value` to its value. Returns the stored value.
  template <typename KA, typename VA>
  Result<V*> TrySet(KA&& key, VA&& value) {
    u64 h = Hash{}(key);
    usize i = Locate(key, h);
    if (i != kNotFound) {
      slots_[i].value = forward<VA>(value);
      return &slots_[i].value;
    }
    return Insert(h, forward<KA>(key), forward<VA>(value));
  }
  /// The value under `key`, first adding one constructed from `value_args` if absent.
  template <typename KA, typename... VA>
  Result<V*> TryFindOrInsert(KA&& key, VA&&... value_args) {
    u64 h = Hash{}(key);
    usize i = Locate(key, h);
    if (i != kNotFound) return &slots_[i].value;
    return Insert(h, forward<KA>(key), forward<VA>(value_args)...);
  }

  /// Removes `key`; false if it was not there.
  template <typename Q = K>
  bool Erase(const Q& key) {
    usize i = Locate(key);
    if (i == kNotFound) return false;
    RemoveAt(i);
    return true;
  }
  /// Removes `key` and returns its value (nullopt if absent).
  template <typename Q = K>
  optional<V> Take(const Q& key) {
    usize i = Locate(key);
    if (i == kNotFound) return nullopt;
    optional<V> value(move(slots_[i].value));
    RemoveAt(i);
    return value;
  }
  /// Removes every entry for which `pred(key, value)` is true; returns how many.
  template <typename Pred>
  usize EraseIf(Pred pred) {
    if (size_ == 0) return 0;
    // Start just after an empty slot: backward shifts never cross an empty slot, so every
    // entry is visited exactly once even though removals move entries.
    usize start = 0;
    while (used_[start]) ++start;
    usize removed = 0;
    for (usize n = 0; n < capacity_; ++n) {
      usize i = (start + 1 + n) & (capacity_ - 1);
      while (used_[i] && pred(static_cast<const K&>(slots_[i].key), slots_[i].value)) {
        RemoveAt(i);  // may shift a later entry of the cluster into slot i: look again
        ++removed;
      }
    }
    return removed;
  }

  /// Room for `n` entries without a rehash.
  Result<void> TryReserve(usize n) {
    if (n <= MaxLoad(capacity_)) return Ok();
    usize capacity = capacity_ == 0 ? kMinCapacity : capacity_;
    while (MaxLoad(capacity) < n) {
      if (MulOverflows(capacity, usize{2}, &capacity)) return Errno::kENOMEM;
    }
    Table fresh = TRY(AllocateTable(capacity));
    Rehash(fresh);
    return Ok();
  }

  /// Removes every entry; keeps the table.
  void Clear() {
    for (usize i = 0; i < capacity_; ++i) {
      if (!used_[i]) continue;
      slots_[i].~Entry();
      used_[i] = 0;
    }
    size_ = 0;
  }
  /// Removes every entry and frees the table.
  void Reset() {
    Clear();
    Free(slots_);
    slots_ = nullptr;
    used_ = nullptr;
    capacity_ = 0;
  }

 private:
  static constexpr usize kNotFound = ~usize{0};
  static constexpr usize kMinCapacity = 8;
  static constexpr usize kAlign = alignof(Entry) > kDefaultAlign ? alignof(Entry) : kDefaultAlign;

  struct Table {
    Entry* slots;
    u8* used;
    usize capacity;
  };

  static constexpr usize MaxLoad(usize capacity) { return capacity - capacity / 4; }

  // One allocation: the entries, then one "used" byte per slot.
  static Result<Table> AllocateTable(usize capacity) {
    usize entry_bytes, total;
    if (MulOverflows(capacity, sizeof(Entry), &entry_bytes) ||
        AddOverflows(entry_bytes, capacity, &total)) {
      return Errno::kENOMEM;
    }
    void* p = Allocate(total, kAlign);
    if (p == nullptr) return Errno::kENOMEM;
    auto* used = static_cast<u8*>(p) + entry_bytes;
    for (usize i = 0; i < capacity; ++i) used[i] = 0;
    return Table{static_cast<Entry*>(p), used, capacity};
  }

  static usize FreeSlot(const Table& t, u64 h) {
    usize i = h & (t.capacity - 1);
    while (t.used[i]) i = (i + 1) & (t.capacity - 1);
    return i;
  }

  // Moves every entry into `fresh` (which may already hold new entries) and adopts it.
  void Rehash(Table fresh) {
    for (usize i = 0; i < capacity_; ++i) {
      if (!used_[i]) continue;
      usize j = FreeSlot(fresh, Hash{}(slots_[i].key));
      new (&fresh.slots[j]) Entry(move(slots_[i]));
      fresh.used[j] = 1;
      slots_[i].~Entry();
    }
    Free(slots_);
    slots_ = fresh.slots;
    used_ = fresh.used;
    capacity_ = fresh.capacity;
  }

  template <typename KA, typename... VA>
  Result<V*> Insert(u64 h, KA&& key, VA&&... value_args) {
    Entry* entry;
    if (size_ + 1 > MaxLoad(capacity_)) {
      usize capacity;
      if (capacity_ == 0) {
        capacity = kMinCapacity;
      } else if (MulOverflows(capacity_, usize{2}, &capacity)) {
        return Errno::kENOMEM;
      }
      Table fresh = TRY(AllocateTable(capacity));
      // Construct the new entry first, while the old table (which the arguments may point
      // into) is intact; then move the others over.
      usize j = FreeSlot(fresh, h);
      entry = new (&fresh.slots[j]) Entry{K(forward<KA>(key)), V(forward<VA>(value_args)...)};
      fresh.used[j] = 1;
      Rehash(fresh);
    } else {
      usize j = FreeSlot(Table{slots_, used_, capacity_}, h);
      entry = new (&slots_[j]) Entry{K(forward<KA>(key)), V(forward<VA>(value_args)...)};
      used_[j] = 1;
    }
    ++size_;
    return &entry->value;
  }

  template <typename Q>
  usize Locate(const Q& key) const {
    return Locate(key, Hash{}(key));
  }
  template <typename Q>
  usize Locate(const Q& key, u64 h) const {
    if (capacity_ == 0) return kNotFound;
    for (usize i = h & (capacity_ - 1);; i = (i + 1) & (capacity_ - 1)) {
      if (!used_[i]) return kNotFound;
      if (slots_[i].key == key) return i;
    }
  }

  // Backward-shift deletion: pull later entries of the cluster back into the hole whenever
  // that does not move them in front of their home slot, so lookups never need tombstones.
  void RemoveAt(usize hole) {
    slots_[hole].~Entry();
    used_[hole] = 0;
    --size_;
    usize mask = capacity_ - 1;
    for (usize j = (hole + 1) & mask; used_[j]; j = (j + 1) & mask) {
      usize home = Hash{}(slots_[j].key) & mask;
      // Entry j may fill the hole if its home is not in the cyclic range (hole, j].
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        new (&slots_[hole]) Entry(move(slots_[j]));
        used_[hole] = 1;
        slots_[j].~Entry();
        used_[j] = 0;
        hole = j;
      }
    }
  }

  usize NextOccupied(usize i) const {
    while (i < capacity_ && !used_[i]) ++i;
    return i;
  }

  Entry* slots_ = nullptr;
  u8* used_ = nullptr;  // one byte per slot, after the slots in the same allocation
  usize capacity_ = 0;
  usize size_ = 0;
};

}  // namespace kernel::lib
