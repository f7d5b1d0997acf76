#pragma once
/// Mutex: a sleeping lock for long critical sections in task context.
#include "kernel/lib/lock_rank.h"
#include "kernel/lib/thread_annotations.h"
#include "kernel/lib/types.h"

namespace kernel::lib {

class Mutex;

/// Blocks the running task until the scheduler is told (through MutexWakeFn) that `mutex`
/// was released; may return spuriously (the caller re-checks).
using MutexWaitFn = void (*)(Mutex& mutex);
/// Makes one task blocked on `mutex` runnable (no-op if none).
using MutexWakeFn = void (*)(Mutex& mutex);
/// Identifies the running task (any unique non-null pointer), for ownership checks.
using MutexOwnerFn = const void* (*)();

/// Installs the scheduler's sleep/wake functions (null, null uninstalls). Until they are
/// installed a contended mutex panics, since nothing could ever release it.
void SetMutexWaitHooks(MutexWaitFn wait, MutexWakeFn wake);
/// Installs the function naming the running task. With it, a recursive acquire and a release
/// by a task that does not hold the mutex panic; without it they cannot be told apart from
/// contention, which panics anyway when there are no wait hooks.
void SetMutexOwnerHook(MutexOwnerFn current);

/// A sleeping lock (Linux's struct mutex, Zircon's Mutex). The kernel is uniprocessor and
/// non-preemptive, so the holder can only lose the CPU by sleeping while it holds the lock;
/// only then does another task find the mutex taken and sleep in the scheduler's wait hook
/// until Release wakes it. The sleeping and waking is pluggable because kernel/lib sits below
/// the scheduler (SetMutexWaitHooks). Never take a mutex with a spinlock held or in an
/// interrupt handler; debug builds check the former.
///
/// wait_queue() is an opaque word the hooks own, e.g. the head of a list of waiting tasks,
/// so that a mutex needs no allocation to be waited on.
class ARAMID_CAPABILITY("mutex") Mutex {
 public:
  constexpr explicit Mutex(LockRank rank = LockRank::kUnranked, const char* name = "mutex")
      : rank_(rank), name_(name) {}
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;
  ~Mutex();

  /// Takes the mutex, sleeping while another task holds it.
  void Acquire() ARAMID_ACQUIRE();
  /// Takes the mutex if nobody holds it; never sleeps.
  bool TryAcquire() ARAMID_TRY_ACQUIRE(true);
  /// Drops the mutex and wakes one waiter.
  void Release() ARAMID_RELEASE();

  /// Whether any task holds the mutex.
  bool held() const { return locked_; }
  /// Panics unless the mutex is held (by the running task, when the owner hook is set).
  void AssertHeld() const ARAMID_ASSERT_CAPABILITY(this);

  /// Tasks currently sleeping in Acquire.
  u32 waiters() const { return waiters_; }
  /// Storage owned by the wait hooks (null when nobody waits).
  void*& wait_queue() { return wait_queue_; }
  LockRank rank() const { return rank_; }
  const char* name() const { return name_; }

 private:
  bool locked_ = false;
  u32 waiters_ = 0;
  const void* owner_ = nullptr;  // from the owner hook; null without one
  void* wait_queue_ = nullptr;
  LockRank rank_;
  const char* name_;
};

}  // namespace kernel::lib
