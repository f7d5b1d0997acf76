#include "kernel/lib/lock_rank.h"

#include "kernel/lib/assert.h"
#include "kernel/lib/result.h"

namespace kernel::lib::lockdep {
namespace {

// The kernel is uniprocessor: "this CPU" is the only one. With interrupts disabled while a
// spinlock is held (SpinLock guarantees it), nothing else can touch this record.
// TODO(#3): per-CPU state when the x86_64 backend brings up more than one CPU.
struct Held {
  const void* lock;
  LockRank rank;
  const char* name;
};
constexpr usize kMaxHeld = 16;
Held g_held[kMaxHeld];
usize g_depth = 0;

}  // namespace

usize SpinLocksHeld() { return g_depth; }

void OnSpinAcquire(const void* lock, LockRank rank, const char* name) {
  if (rank != LockRank::kUnranked) {
    for (usize i = 0; i < g_depth; ++i) {
      const Held& h = g_held[i];
      if (h.rank != LockRank::kUnranked && h.rank >= rank) {
        Panic("lock order violation: acquiring %s (rank %u) while holding %s (rank %u)", name,
              static_cast<unsigned>(rank), h.name, static_cast<unsigned>(h.rank));
      }
    }
  }
  if (g_depth == kMaxHeld) Panic("lockdep: more than %zu spinlocks held at once", kMaxHeld);
  g_held[g_depth++] = Held{lock, rank, name};
}

void OnSpinRelease(const void* lock) {
  // Usually the innermost; releasing out of order is allowed (hand-over-hand locking).
  for (usize i = g_depth; i > 0; --i) {
    if (g_held[i - 1].lock != lock) continue;
    for (usize j = i - 1; j + 1 < g_depth; ++j) g_held[j] = g_held[j + 1];
    --g_depth;
    return;
  }
  Panic("lockdep: releasing spinlock %p that this CPU does not hold", lock);
}

void OnMutexAcquire(const void* lock, const char* name) {
  if (g_depth != 0) {
    Panic("acquiring mutex %s (%p) while holding spinlock %s: a mutex may sleep", name, lock,
          g_held[g_depth - 1].name);
  }
}

void ResetForTesting() { g_depth = 0; }

}  // namespace kernel::lib::lockdep
