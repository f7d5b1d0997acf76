#pragma once
/// OwnPtr<T>: sole ownership of a heap object made by lib::TryNew; TryMakeOwn<T>(...).
#include "kernel/lib/alloc.h"
#include "kernel/lib/assert.h"
#include "kernel/lib/result.h"
#include "kernel/lib/std.h"

namespace kernel::lib {

/// Unique ownership of one heap object, destroyed with lib::Delete when the OwnPtr goes away
/// (SerenityOS OwnPtr, std::unique_ptr without custom deleters or arrays). Move-only.
/// Make one with TryMakeOwn<T>(args...) or adopt a raw pointer from lib::TryNew with
/// AdoptOwn(p). Deleting through OwnPtr<Base> requires Base to have a virtual destructor
/// and to be the first (offset-zero) base, because lib::Free takes the address it was given.
template <typename T>
class OwnPtr {
 public:
  OwnPtr() = default;
  OwnPtr(nullptr_t) {}  // NOLINT: implicit by design
  OwnPtr(const OwnPtr&) = delete;
  OwnPtr& operator=(const OwnPtr&) = delete;
  OwnPtr(OwnPtr&& other) noexcept : ptr_(other.leak()) {}
  template <typename U>
  requires is_convertible_v<U*, T*> OwnPtr(OwnPtr<U>&& other)
      : ptr_(other.leak()) {}  // NOLINT: implicit like unique_ptr
  OwnPtr& operator=(OwnPtr&& other) noexcept {
    reset(other.leak());
    return *this;
  }
  template <typename U>
  requires is_convertible_v<U*, T*> OwnPtr& operator=(OwnPtr<U>&& other) {
    reset(other.leak());
    return *this;
  }
  OwnPtr& operator=(nullptr_t) {
    reset();
    return *this;
  }
  ~OwnPtr() { reset(); }

  T* get() const { return ptr_; }
  T* operator->() const {
    ARAMID_DEBUG_ASSERT(ptr_ != nullptr, "null OwnPtr dereferenced");
    return ptr_;
  }
  T& operator*() const {
    ARAMID_DEBUG_ASSERT(ptr_ != nullptr, "null OwnPtr dereferenced");
    return *ptr_;
  }
  explicit operator bool() const { return ptr_ != nullptr; }

  /// Destroys the owned object (if any) and takes `p` instead.
  void reset(T* p = nullptr) {
    T* old = exchange(ptr_, p);
    if (old != nullptr) Delete(old);
  }
  /// Gives up ownership without destroying; the caller must lib::Delete the result.
  [[nodiscard]] T* leak() { return exchange(ptr_, nullptr); }

  friend bool operator==(const OwnPtr& a, nullptr_t) { return a.ptr_ == nullptr; }
  friend bool operator==(const OwnPtr& a, const T* b) { return a.ptr_ == b; }

 private:
  T* ptr_ = nullptr;
};

/// Takes ownership of `p`, which must come from lib::TryNew (or be null).
template <typename T>
OwnPtr<T> AdoptOwn(T* p) {
  OwnPtr<T> own;
  own.reset(p);
  return own;
}

/// Constructs a T on the heap and owns it; ENOMEM when the heap is exhausted.
template <typename T, typename... Args>
Result<OwnPtr<T>> TryMakeOwn(Args&&... args) {
  T* p = TRY(TryNew<T>(forward<Args>(args)...));
  return AdoptOwn(p);
}

}  // namespace kernel::lib
