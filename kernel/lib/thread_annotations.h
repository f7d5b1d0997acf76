#pragma once
/// Clang thread-safety analysis attributes [clang docs: ThreadSafetyAnalysis], spelled
/// ARAMID_*. Under clang with -Wthread-safety they let the compiler check that guarded data is
/// only touched with its lock held; under gcc (which lacks the attributes) they expand to
/// nothing. Annotate locks with ARAMID_CAPABILITY, the data they guard with ARAMID_GUARDED_BY,
/// and functions with the locks they need (ARAMID_REQUIRES) or take (ARAMID_ACQUIRE).
///
///   SpinLock lock_;
///   u64 ticks_ ARAMID_GUARDED_BY(lock_);
///   void Tick() ARAMID_REQUIRES(lock_);

#if defined(__has_attribute)
#if __has_attribute(capability)
#define ARAMID_THREAD_ANNOTATION(x) __attribute__((x))
#endif
#endif
#ifndef ARAMID_THREAD_ANNOTATION
#define ARAMID_THREAD_ANNOTATION(x)
#endif

/// A type that is a lock ("capability"); `name` appears in diagnostics.
#define ARAMID_CAPABILITY(name) ARAMID_THREAD_ANNOTATION(capability(name))
/// An RAII type that holds a capability for its lifetime (Guard<Lock>).
#define ARAMID_SCOPED_CAPABILITY ARAMID_THREAD_ANNOTATION(scoped_lockable)
/// Data that may only be accessed with `lock` held.
#define ARAMID_GUARDED_BY(lock) ARAMID_THREAD_ANNOTATION(guarded_by(lock))
/// Pointer whose target may only be accessed with `lock` held.
#define ARAMID_PT_GUARDED_BY(lock) ARAMID_THREAD_ANNOTATION(pt_guarded_by(lock))
/// Declared lock order: this lock is taken before / after the listed ones.
#define ARAMID_ACQUIRED_BEFORE(...) ARAMID_THREAD_ANNOTATION(acquired_before(__VA_ARGS__))
#define ARAMID_ACQUIRED_AFTER(...) ARAMID_THREAD_ANNOTATION(acquired_after(__VA_ARGS__))
/// The caller must hold (or must not hold) the listed locks.
#define ARAMID_REQUIRES(...) ARAMID_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define ARAMID_EXCLUDES(...) ARAMID_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
/// The function takes / drops the listed locks (no arguments: `this`).
#define ARAMID_ACQUIRE(...) ARAMID_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define ARAMID_RELEASE(...) ARAMID_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
/// The function takes the lock iff it returns `result` (true for TryAcquire).
#define ARAMID_TRY_ACQUIRE(...) ARAMID_THREAD_ANNOTATION(try_acquire_capability(__VA_ARGS__))
/// The function panics unless the lock is held; afterwards the analysis assumes it is.
#define ARAMID_ASSERT_CAPABILITY(x) ARAMID_THREAD_ANNOTATION(assert_capability(x))
/// The function returns a reference to the given lock.
#define ARAMID_RETURN_CAPABILITY(x) ARAMID_THREAD_ANNOTATION(lock_returned(x))
/// Opt a function out of the analysis (say why next to it).
#define ARAMID_NO_THREAD_SAFETY_ANALYSIS ARAMID_THREAD_ANNOTATION(no_thread_safety_analysis)
