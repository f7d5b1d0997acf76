#include "kernel/lib/mutex.h"

#include "kernel/lib/assert.h"
#include "kernel/lib/result.h"

namespace kernel::lib {
namespace {

MutexWaitFn g_wait = nullptr;
MutexWakeFn g_wake = nullptr;
MutexOwnerFn g_current = nullptr;

const void* Current() { return g_current != nullptr ? g_current() : nullptr; }

}  // namespace

void SetMutexWaitHooks(MutexWaitFn wait, MutexWakeFn wake) {
  ARAMID_ASSERT((wait == nullptr) == (wake == nullptr), "install both mutex hooks or neither");
  g_wait = wait;
  g_wake = wake;
}

void SetMutexOwnerHook(MutexOwnerFn current) { g_current = current; }

Mutex::~Mutex() {
  ARAMID_ASSERT(!locked_ && waiters_ == 0, "mutex %s (%p) destroyed while %s", name_,
                static_cast<void*>(this), locked_ ? "held" : "waited on");
}

void Mutex::Acquire() {
  if constexpr (kDebugChecks) lockdep::OnMutexAcquire(this, name_);
  const void* me = Current();
  // Uniprocessor, non-preemptive: between this test and the sleep nothing else runs, so a
  // wake-up cannot be lost. Woken tasks re-check because another may have taken it first.
  while (locked_) {
    if (me != nullptr && owner_ == me) {
      Panic("mutex %s (%p) acquired recursively", name_, static_cast<void*>(this));
    }
    if (g_wait == nullptr) {
      Panic(
          "mutex %s (%p) is contended but no scheduler wait hooks are installed "
          "(a recursive acquire, or the holder slept before the scheduler started)",
          name_, static_cast<void*>(this));
    }
    ++waiters_;
    g_wait(*this);
    --waiters_;
  }
  locked_ = true;
  owner_ = me;
}

bool Mutex::TryAcquire() {
  if constexpr (kDebugChecks) lockdep::OnMutexAcquire(this, name_);
  if (locked_) return false;
  locked_ = true;
  owner_ = Current();
  return true;
}

void Mutex::Release() {
  if (!locked_) Panic("mutex %s (%p) released while not held", name_, static_cast<void*>(this));
  const void* me = Current();
  if (me != nullptr && owner_ != me) {
    Panic("mutex %s (%p) released by %p, held by %p", name_, static_cast<void*>(this), me, owner_);
  }
  locked_ = false;
  owner_ = nullptr;
  if (waiters_ != 0 && g_wake != nullptr) g_wake(*this);
}

void Mutex::AssertHeld() const {
  if (!locked_) Panic("mutex %s (%p) is not held", name_, static_cast<const void*>(this));
  const void* me = Current();
  if (me != nullptr && owner_ != me) {
    Panic("mutex %s (%p) is held by %p, not by the running task %p", name_,
          static_cast<const void*>(this), owner_, me);
  }
}

}  // namespace kernel::lib
