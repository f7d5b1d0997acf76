#pragma once
/// Guard<Lock>: holds a lock for a scope. Protected<T, Lock>: data that lives inside its lock.
#include "kernel/lib/assert.h"
#include "kernel/lib/lock_rank.h"
#include "kernel/lib/spin_lock.h"
#include "kernel/lib/std.h"
#include "kernel/lib/thread_annotations.h"

namespace kernel::lib {

/// Acquires `lock` on construction and releases it on destruction (or at Release()):
///   Guard guard(table_lock_);
/// Works with any type that has Acquire()/Release() (SpinLock, Mutex).
template <typename Lock>
class ARAMID_SCOPED_CAPABILITY Guard {
 public:
  explicit Guard(Lock& lock) ARAMID_ACQUIRE(lock) : lock_(&lock) { lock.Acquire(); }
  Guard(const Guard&) = delete;
  Guard& operator=(const Guard&) = delete;
  ~Guard() ARAMID_RELEASE() {
    if (lock_ != nullptr) lock_->Release();
  }

  /// Releases the lock before the end of the scope; the destructor then does nothing.
  void Release() ARAMID_RELEASE() {
    ARAMID_ASSERT(lock_ != nullptr, "Guard released twice");
    exchange(lock_, nullptr)->Release();
  }

 private:
  Lock* lock_;
};

/// Rank and name for the lock inside a Protected<T>.
struct LockOptions {
  LockRank rank = LockRank::kUnranked;
  const char* name = "protected";
};

/// A T that can only be reached with its lock held (SerenityOS SpinlockProtected,
/// Zircon's guarded data): the data lives inside the lock, so forgetting to lock is not
/// expressible.
///
///   Protected<Vector<Task*>> runnable{LockOptions{LockRank::kScheduler, "runnable"}};
///   runnable.With([&](Vector<Task*>& tasks) { ... });      // locked for the lambda
///   auto locked = runnable.Lock();  locked->size();         // locked for the scope
///
/// Do not let references to the T escape the lambda or the Locked accessor.
template <typename T, typename LockType = SpinLock>
class Protected {
 public:
  /// Holds the lock for its lifetime and gives access to the value.
  template <typename U>
  class ARAMID_SCOPED_CAPABILITY Locked {
   public:
    Locked(const Locked&) = delete;
    Locked& operator=(const Locked&) = delete;
    ~Locked() ARAMID_RELEASE() { lock_.Release(); }
    U* operator->() const { return &value_; }
    U& operator*() const { return value_; }

   private:
    friend class Protected;
    Locked(LockType& lock, U& value) ARAMID_ACQUIRE(lock) : lock_(lock), value_(value) {
      lock_.Acquire();
    }
    LockType& lock_;
    U& value_;
  };

  /// The lock with default options; the value from `args`.
  template <typename... Args>
  explicit Protected(Args&&... args) : value_(forward<Args>(args)...) {}
  /// The lock with `options`; the value from `args`.
  template <typename... Args>
  explicit Protected(LockOptions options, Args&&... args)
      : lock_(options.rank, options.name), value_(forward<Args>(args)...) {}
  Protected(const Protected&) = delete;
  Protected& operator=(const Protected&) = delete;

  /// Calls `f(value)` with the lock held and returns what it returns.
  template <typename F>
  decltype(auto) With(F&& f) {
    Guard<LockType> guard(lock_);
    return forward<F>(f)(value_);
  }
  template <typename F>
  decltype(auto) With(F&& f) const {
    Guard<LockType> guard(lock_);
    return forward<F>(f)(static_cast<const T&>(value_));
  }

  /// Locks and returns an accessor; the lock is held until the accessor goes away.
  [[nodiscard]] Locked<T> Lock() { return Locked<T>(lock_, value_); }
  [[nodiscard]] Locked<const T> Lock() const { return Locked<const T>(lock_, value_); }

  /// The lock itself, for AssertHeld and for code that must hold it across calls.
  LockType& lock() const ARAMID_RETURN_CAPABILITY(lock_) { return lock_; }

 private:
  mutable LockType lock_;
  T value_ ARAMID_GUARDED_BY(lock_);
};

}  // namespace kernel::lib
