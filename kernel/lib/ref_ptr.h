#pragma once
/// RefCounted<T> / RefPtr<T>: intrusive shared ownership; TryMakeRef<T>(...), AdoptRef(p).
#include "kernel/lib/alloc.h"
#include "kernel/lib/assert.h"
#include "kernel/lib/result.h"
#include "kernel/lib/std.h"

namespace kernel::lib {

/// Base for reference-counted objects: `class File : public RefCounted<File> {...}`.
/// The count lives in the object (Zircon fbl::RefCounted, SerenityOS RefCounted). A new
/// object starts "unadopted": the first reference is taken by AdoptRef (TryMakeRef does it),
/// and taking a reference to an unadopted object, or adopting twice, is a caught kernel bug.
/// When the last RefPtr goes away the object is destroyed with lib::Delete, as `T*`: if RefPtr
/// is used through a base class, that base needs a virtual destructor and offset zero.
/// The count is atomic, so references may be taken and dropped with interrupts enabled.
template <typename T>
class RefCounted {
 public:
  RefCounted(const RefCounted&) = delete;
  RefCounted& operator=(const RefCounted&) = delete;

  /// Takes one more reference. The object must have been adopted.
  void AddRef() const {
    [[maybe_unused]] u32 old = count_.fetch_add(1, memory_order_relaxed);
    ARAMID_ASSERT(old != kUnadopted && old != 0, "AddRef on %s object %p",
                  old == 0 ? "a dead" : "an unadopted", static_cast<const void*>(this));
  }
  /// Drops one reference; true when it was the last one (the caller then destroys).
  [[nodiscard]] bool Release() const {
    u32 old = count_.fetch_sub(1, memory_order_acq_rel);
    ARAMID_ASSERT(old != kUnadopted && old != 0, "Release on %s object %p",
                  old == 0 ? "a dead" : "an unadopted", static_cast<const void*>(this));
    return old == 1;
  }
  /// Marks the object as owned by its first reference (count 1). Used by AdoptRef.
  void Adopt() const {
    u32 expected = kUnadopted;
    bool ok = count_.compare_exchange_strong(expected, 1, memory_order_relaxed);
    ARAMID_ASSERT(ok, "object %p adopted twice", static_cast<const void*>(this));
  }
  /// The current count: for tests and assertions only (it may change right after).
  u32 ref_count_for_debug() const {
    u32 c = count_.load(memory_order_relaxed);
    return c == kUnadopted ? 0 : c;
  }

 protected:
  RefCounted() = default;
  ~RefCounted() {
    // Destroying an adopted object with references left means a RefPtr will dangle.
    u32 c = count_.load(memory_order_relaxed);
    ARAMID_ASSERT(c == 0 || c == kUnadopted, "RefCounted %p destroyed with %u references",
                  static_cast<const void*>(this), c);
  }

 private:
  static constexpr u32 kUnadopted = 0xC0DE0000;
  mutable atomic<u32> count_{kUnadopted};
};

template <typename T>
class RefPtr;
template <typename T>
RefPtr<T> AdoptRef(T* p);

/// A counted reference to a RefCounted object; copying takes a reference, destruction or
/// reset drops one, and the last drop destroys the object with lib::Delete.
template <typename T>
class RefPtr {
 public:
  RefPtr() = default;
  RefPtr(nullptr_t) {}  // NOLINT: implicit by design
  /// A new reference to an already adopted object (e.g. from `this`). Use AdoptRef for a
  /// fresh object.
  explicit RefPtr(T* p) : ptr_(p) {
    if (ptr_ != nullptr) ptr_->AddRef();
  }
  RefPtr(const RefPtr& other) : RefPtr(other.ptr_) {}
  template <typename U>
  requires is_convertible_v<U*, T*> RefPtr(const RefPtr<U>& other)
      : RefPtr(static_cast<T*>(other.get())) {}  // NOLINT
  RefPtr(RefPtr&& other) noexcept : ptr_(exchange(other.ptr_, nullptr)) {}
  template <typename U>
  requires is_convertible_v<U*, T*> RefPtr(RefPtr<U>&& other) : ptr_(other.leak_ref()) {}  // NOLINT

  RefPtr& operator=(const RefPtr& other) {  // NOLINT(bugprone-unhandled-self-assignment)
    RefPtr copy(other);  // take the new reference before dropping the old (self-assignment)
    swap(ptr_, copy.ptr_);
    return *this;
  }
  RefPtr& operator=(RefPtr&& other) noexcept {
    RefPtr moved(move(other));
    swap(ptr_, moved.ptr_);
    return *this;
  }
  RefPtr& operator=(nullptr_t) {
    reset();
    return *this;
  }
  ~RefPtr() { reset(); }

  T* get() const { return ptr_; }
  T* operator->() const {
    ARAMID_DEBUG_ASSERT(ptr_ != nullptr, "null RefPtr dereferenced");
    return ptr_;
  }
  T& operator*() const {
    ARAMID_DEBUG_ASSERT(ptr_ != nullptr, "null RefPtr dereferenced");
    return *ptr_;
  }
  explicit operator bool() const { return ptr_ != nullptr; }

  /// Drops this reference (destroying the object if it was the last).
  void reset() {
    T* old = exchange(ptr_, nullptr);
    if (old != nullptr && old->Release()) Delete(old);
  }
  /// Gives up this reference without dropping it (the count stays), e.g. to park it in an
  /// opaque slot; RefPtr<T>::FromLeaked takes it back.
  [[nodiscard]] T* leak_ref() { return exchange(ptr_, nullptr); }
  /// Takes back a reference given up by leak_ref (no count change).
  static RefPtr FromLeaked(T* p) {
    RefPtr r;
    r.ptr_ = p;
    return r;
  }

  friend bool operator==(const RefPtr& a, const RefPtr& b) { return a.ptr_ == b.ptr_; }
  friend bool operator==(const RefPtr& a, nullptr_t) { return a.ptr_ == nullptr; }
  friend bool operator==(const RefPtr& a, const T* b) { return a.ptr_ == b; }

 private:
  friend RefPtr<T> AdoptRef<T>(T* p);

  T* ptr_ = nullptr;
};

/// Takes the first reference to a freshly constructed object (from lib::TryNew).
template <typename T>
RefPtr<T> AdoptRef(T* p) {
  RefPtr<T> r;
  if (p != nullptr) {
    p->Adopt();
    r.ptr_ = p;
  }
  return r;
}

/// Constructs a T on the heap and returns the first reference; ENOMEM when exhausted.
template <typename T, typename... Args>
Result<RefPtr<T>> TryMakeRef(Args&&... args) {
  T* p = TRY(TryNew<T>(forward<Args>(args)...));
  return AdoptRef(p);
}

}  // namespace kernel::lib
