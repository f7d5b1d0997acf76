#pragma once
/// Vector<T>: a growable array whose every allocating operation returns a Result.
#include "kernel/lib/alloc.h"
#include "kernel/lib/assert.h"
#include "kernel/lib/result.h"
#include "kernel/lib/std.h"

namespace kernel::lib {

/// A contiguous, growable array of T on the kernel heap (Zircon fbl::Vector, SerenityOS
/// Vector with the TryX API only). Nothing here can allocate without saying so: growth is
/// TryPush/TryEmplace/TryInsert/TryResize/TryReserve/TryAppend, each returning ENOMEM and
/// leaving the vector exactly as it was when the heap is exhausted. There is no copy
/// constructor (a copy allocates): use TryClone(). Element access is unchecked in release
/// builds and asserted in debug builds, like operator[] everywhere.
///
/// T must be movable; moves are assumed not to fail (the kernel has no exceptions).
/// References and iterators are invalidated by any operation that grows the vector, and by
/// Insert/Erase at or before them, as for std::vector.
template <typename T>
class Vector {
 public:
  using ValueType = T;
  using Iterator = T*;
  using ConstIterator = const T*;

  Vector() = default;
  Vector(const Vector&) = delete;
  Vector& operator=(const Vector&) = delete;
  Vector(Vector&& other) noexcept
      : data_(exchange(other.data_, nullptr)),
        size_(exchange(other.size_, 0)),
        capacity_(exchange(other.capacity_, 0)) {}
  Vector& operator=(Vector&& other) noexcept {
    if (this != &other) {
      Reset();
      data_ = exchange(other.data_, nullptr);
      size_ = exchange(other.size_, 0);
      capacity_ = exchange(other.capacity_, 0);
    }
    return *this;
  }
  ~Vector() { Reset(); }

  /// A copy of every element; ENOMEM leaves nothing behind.
  Result<Vector> TryClone() const requires is_copy_constructible_v<T> {
    Vector copy;
    TRY(copy.TryReserve(size_));
    for (usize i = 0; i < size_; ++i) new (copy.data_ + i) T(data_[i]);
    copy.size_ = size_;
    return copy;
  }

  usize size() const { return size_; }
  usize capacity() const { return capacity_; }
  bool empty() const { return size_ == 0; }
  T* data() { return data_; }
  const T* data() const { return data_; }

  T& operator[](usize i) {
    ARAMID_DEBUG_ASSERT(i < size_, "index %zu, size %zu", i, size_);
    return data_[i];
  }
  const T& operator[](usize i) const {
    ARAMID_DEBUG_ASSERT(i < size_, "index %zu, size %zu", i, size_);
    return data_[i];
  }
  T& front() { return (*this)[0]; }
  const T& front() const { return (*this)[0]; }
  T& back() { return (*this)[size_ - 1]; }
  const T& back() const { return (*this)[size_ - 1]; }

  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }

  span<T> AsSpan() { return span<T>(data_, size_); }
  span<const T> AsSpan() const { return span<const T>(data_, size_); }
  operator span<T>() { return AsSpan(); }              // NOLINT: implicit by design
  operator span<const T>() const { return AsSpan(); }  // NOLINT: implicit by design

  /// Ensures room for `n` elements without further allocation. Never shrinks.
  Result<void> TryReserve(usize n) {
    if (n <= capacity_) return Ok();
    return Reallocate(n);
  }

  /// Appends a copy (or a move) of `value`. `value` may refer into this vector. On ENOMEM
  /// nothing was moved out of `value`.
  Result<void> TryPush(const T& value) requires is_copy_constructible_v<T> {
    return TryEmplace(value);
  }
  Result<void> TryPush(T&& value) { return TryEmplace(move(value)); }

  /// Constructs a new last element from `args`, which may refer into this vector. On ENOMEM
  /// the arguments are untouched.
  template <typename... Args>
  Result<void> TryEmplace(Args&&... args) {
    return TryEmplaceAt(size_, forward<Args>(args)...);
  }

  /// Inserts `value` before position `index` (0..size()); EINVAL past the end. `value` may
  /// refer into this vector. On failure nothing was moved out of `value`.
  Result<void> TryInsert(usize index, const T& value) requires is_copy_constructible_v<T> {
    return TryEmplaceAt(index, value);
  }
  Result<void> TryInsert(usize index, T&& value) { return TryEmplaceAt(index, move(value)); }

  /// Constructs an element from `args` before position `index` (0..size()).
  template <typename... Args>
  Result<void> TryEmplaceAt(usize index, Args&&... args) {
    if (index > size_) return Errno::kEINVAL;
    if (size_ == capacity_) {
      // Construct into the new buffer while the old one (which an argument may alias) is
      // still intact, then move the others around it.
      usize capacity;
      T* fresh = AllocateForGrowth(size_ + 1, &capacity);
      if (fresh == nullptr) return Errno::kENOMEM;
      new (fresh + index) T(forward<Args>(args)...);
      Relocate(fresh, capacity, index);
    } else if (index == size_) {
      new (data_ + size_) T(forward<Args>(args)...);
    } else {
      T value(forward<Args>(args)...);
      new (data_ + size_) T(move(data_[size_ - 1]));
      for (usize i = size_ - 1; i > index; --i) data_[i] = move(data_[i - 1]);
      data_[index] = move(value);
    }
    ++size_;
    return Ok();
  }

  /// Appends copies of every element of `items`, which may alias this vector.
  Result<void> TryAppend(span<const T> items) requires is_copy_constructible_v<T> {
    usize total;
    if (AddOverflows(size_, items.size(), &total)) return Errno::kENOMEM;
    if (total > capacity_) {
      usize capacity;
      T* fresh = AllocateForGrowth(total, &capacity);
      if (fresh == nullptr) return Errno::kENOMEM;
      for (usize i = 0; i < items.size(); ++i) new (fresh + size_ + i) T(items[i]);
      Relocate(fresh, capacity, size_);
    } else {
      for (usize i = 0; i < items.size(); ++i) new (data_ + size_ + i) T(items[i]);
    }
    size_ = total;
    return Ok();
  }

  /// Grows with default-constructed elements or shrinks (destroying the tail) to `n`.
  Result<void> TryResize(usize n) requires is_default_constructible_v<T> {
    if (n > capacity_) TRY(Reallocate(n));
    while (size_ < n) new (data_ + size_++) T();
    Truncate(n);
    return Ok();
  }
  /// Grows with copies of `fill` (which may be an element of this vector) or shrinks to `n`.
  Result<void> TryResize(usize n, const T& fill) requires is_copy_constructible_v<T> {
    if (n > capacity_) {
      usize bytes;
      if (MulOverflows(n, sizeof(T), &bytes)) return Errno::kENOMEM;
      T* fresh = static_cast<T*>(Allocate(bytes, kAlign));
      if (fresh == nullptr) return Errno::kENOMEM;
      for (usize i = size_; i < n; ++i) new (fresh + i) T(fill);
      Relocate(fresh, n, size_);
      size_ = n;
      return Ok();
    }
    while (size_ < n) new (data_ + size_++) T(fill);
    Truncate(n);
    return Ok();
  }

  /// Returns unused capacity to the heap. Fails (ENOMEM) only if the smaller buffer cannot be
  /// allocated, in which case the vector is unchanged.
  Result<void> TryShrinkToFit() {
    if (size_ == capacity_) return Ok();
    if (size_ == 0) {
      Reset();
      return Ok();
    }
    return Reallocate(size_);
  }

  /// Removes the element at `index`, keeping the order of the others.
  void Erase(usize index) { Erase(index, index + 1); }
  /// Removes elements [first, last), keeping the order of the others.
  void Erase(usize first, usize last) {
    ARAMID_ASSERT(first <= last && last <= size_, "erase [%zu, %zu) of %zu", first, last, size_);
    usize n = last - first;
    if (n == 0) return;
    for (usize i = first; i + n < size_; ++i) data_[i] = move(data_[i + n]);
    Truncate(size_ - n);
  }
  /// Removes the element at `index` by moving the last one into its place: O(1), unordered.
  void EraseUnordered(usize index) {
    ARAMID_ASSERT(index < size_, "erase %zu of %zu", index, size_);
    if (index != size_ - 1) data_[index] = move(data_[size_ - 1]);
    Truncate(size_ - 1);
  }
  /// Removes every element for which `pred(element)` is true; returns how many.
  template <typename Pred>
  usize EraseIf(Pred pred) {
    usize kept = 0;
    for (usize i = 0; i < size_; ++i) {
      if (pred(static_cast<const T&>(data_[i]))) continue;
      if (kept != i) data_[kept] = move(data_[i]);
      ++kept;
    }
    usize removed = size_ - kept;
    Truncate(kept);
    return removed;
  }

  /// Destroys the last element. The vector must not be empty.
  void PopBack() {
    ARAMID_ASSERT(size_ > 0, "PopBack on an empty Vector");
    Truncate(size_ - 1);
  }
  /// Removes and returns the last element. The vector must not be empty.
  T TakeLast() {
    ARAMID_ASSERT(size_ > 0, "TakeLast on an empty Vector");
    T value(move(data_[size_ - 1]));
    Truncate(size_ - 1);
    return value;
  }

  /// Destroys every element; keeps the capacity.
  void Clear() { Truncate(0); }
  /// Destroys every element and frees the storage.
  void Reset() {
    Truncate(0);
    Free(data_);
    data_ = nullptr;
    capacity_ = 0;
  }

 private:
  static constexpr usize kMinCapacity = 4;
  static constexpr usize kAlign = alignof(T) > kDefaultAlign ? alignof(T) : kDefaultAlign;

  void Truncate(usize n) {
    if constexpr (!is_trivially_destructible_v<T>) {
      while (size_ > n) data_[--size_].~T();
    } else if (size_ > n) {
      size_ = n;
    }
  }

  // A buffer for at least `needed` elements, doubling so that pushes are amortized O(1); falls
  // back to exactly `needed` when the doubled size cannot be had. nullptr on exhaustion.
  T* AllocateForGrowth(usize needed, usize* capacity) {
    usize target = capacity_ < kMinCapacity ? kMinCapacity : capacity_;
    while (target < needed) {
      if (MulOverflows(target, usize{2}, &target)) {
        target = needed;
        break;
      }
    }
    usize bytes;
    if (!MulOverflows(target, sizeof(T), &bytes)) {
      if (void* p = Allocate(bytes, kAlign)) {
        *capacity = target;
        return static_cast<T*>(p);
      }
    }
    if (target == needed || MulOverflows(needed, sizeof(T), &bytes)) return nullptr;
    *capacity = needed;
    return static_cast<T*>(Allocate(bytes, kAlign));
  }

  // Moves the elements into `fresh` (of `capacity`), shifting those at and after `hole` up by
  // one so that slot `hole` is left for the caller (hole == size_: no shift), and frees the
  // old buffer. size_ is unchanged.
  void Relocate(T* fresh, usize capacity, usize hole) {
    for (usize i = 0; i < size_; ++i) {
      new (fresh + (i < hole ? i : i + 1)) T(move(data_[i]));
      data_[i].~T();
    }
    Free(data_);
    data_ = fresh;
    capacity_ = capacity;
  }

  Result<void> Reallocate(usize capacity) {
    usize bytes;
    if (MulOverflows(capacity, sizeof(T), &bytes)) return Errno::kENOMEM;
    T* fresh = static_cast<T*>(Allocate(bytes, kAlign));
    if (fresh == nullptr) return Errno::kENOMEM;
    Relocate(fresh, capacity, size_);
    return Ok();
  }

  T* data_ = nullptr;
  usize size_ = 0;
  usize capacity_ = 0;
};

}  // namespace kernel::lib
