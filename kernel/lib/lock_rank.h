#pragma once
/// Lock ranks and the debug-build lock-order checker (a much-reduced Zircon lockdep).
///
/// Every ranked lock declares where it sits in the global order; a CPU may only take a ranked
/// spinlock whose rank is greater than that of every ranked spinlock it already holds. Taking
/// them out of order is a potential deadlock even if it has not deadlocked yet, so debug
/// builds panic on the first out-of-order acquire, naming both locks. Unranked locks
/// (kUnranked) are not checked. Release builds keep the ranks and skip the checks.
///
/// Spinlocks are never held across a sleep, so a per-CPU record of held spinlocks is exact.
/// Mutexes are held across sleeps: checking their order needs per-task state, which waits for
/// the scheduler (TODO(#5)). Until then debug builds check only that no spinlock is held when a
/// mutex is taken (that would sleep with interrupts off).
#include "kernel/lib/types.h"

namespace kernel::lib {

/// Where a lock sits in the acquisition order: outer locks (taken first) have lower ranks.
/// The named ranks are spaced so a subsystem can slot its own between them, e.g.
/// `LockRank{to_underlying(LockRank::kMm) + 10}`; keep the list here as the single
/// source of truth for the order.
enum class LockRank : u16 {
  kUnranked = 0,      ///< not checked
  kFs = 1000,         ///< VFS, inodes, file tables
  kProc = 2000,       ///< process tree, credentials, signals
  kMm = 3000,         ///< address spaces, VMAs, page tables
  kScheduler = 4000,  ///< run queues, wait queues
  kPageAlloc = 5000,  ///< physical page allocator
  kHeap = 6000,       ///< kernel heap
  kConsole = 7000,    ///< console and log output: innermost, usable from anywhere
};

namespace lockdep {

/// How many spinlocks this CPU holds (maintained in debug builds; 0 in release builds).
usize SpinLocksHeld();

/// Called by SpinLock in debug builds. `lock` identifies the lock; `name` is for messages.
void OnSpinAcquire(const void* lock, LockRank rank, const char* name);
void OnSpinRelease(const void* lock);
/// Called by Mutex in debug builds: panics if a spinlock is held (the mutex may sleep).
void OnMutexAcquire(const void* lock, const char* name);

/// Forgets every held lock: for tests whose death-test children abandon locks. Never call
/// it in the kernel proper.
void ResetForTesting();

}  // namespace lockdep
}  // namespace kernel::lib
