#pragma once
/// Helpers for kernel/lib's unit tests (host only, but freestanding-clean): scoped heap fault
/// injection and an element type that counts its lifetimes so tests can prove no leaks and no
/// double destruction.
#include "kernel/lib/types.h"
#include "kernel/mm/heap.h"

namespace kernel::lib::testing {

/// For its lifetime, the next `successes` heap allocations succeed and every later one fails.
class ScopedHeapFailure {
 public:
  explicit ScopedHeapFailure(usize successes) { mm::heap::FailAfter(successes); }
  ~ScopedHeapFailure() { mm::heap::ClearFailure(); }
  ScopedHeapFailure(const ScopedHeapFailure&) = delete;
  ScopedHeapFailure& operator=(const ScopedHeapFailure&) = delete;
};

/// Live heap allocations right now: compare before and after to catch leaks.
inline usize LiveAllocations() { return mm::heap::GetStats().allocations; }

/// A value type that counts constructions and destructions. `value` is -1 after a move.
struct Tracked {
  static inline isize live = 0;
  static inline usize constructed = 0;

  Tracked() : value(0) { Born(); }
  explicit Tracked(int v) : value(v) { Born(); }
  Tracked(const Tracked& other) : value(other.value) { Born(); }
  Tracked(Tracked&& other) noexcept : value(other.value) {
    other.value = -1;
    Born();
  }
  Tracked& operator=(const Tracked& other) = default;
  Tracked& operator=(Tracked&& other) noexcept {
    value = other.value;
    other.value = -1;
    return *this;
  }
  ~Tracked() {
    --live;
    value = -2;
  }
  bool operator==(const Tracked& other) const { return value == other.value; }

  static void Reset() {
    live = 0;
    constructed = 0;
  }

  int value;

 private:
  void Born() {
    ++live;
    ++constructed;
  }
};

/// Move-only, with a payload: proves an operation did not move from its argument on failure.
struct MoveOnly {
  explicit MoveOnly(int v) : value(v) {}
  MoveOnly(MoveOnly&& other) noexcept : value(other.value) { other.value = -1; }
  MoveOnly& operator=(MoveOnly&& other) noexcept {
    value = other.value;
    other.value = -1;
    return *this;
  }
  MoveOnly(const MoveOnly&) = delete;
  MoveOnly& operator=(const MoveOnly&) = delete;
  int value;
};

}  // namespace kernel::lib::testing
