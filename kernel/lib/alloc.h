#pragma once
/// Kernel heap allocation: every allocation can fail, and the failure is visible.
/// The heap itself lives in kernel/mm/heap.cc; nothing here calls the global operator new.
#include <new>
#include <utility>

#include "kernel/lib/result.h"
#include "kernel/lib/types.h"

namespace kernel::lib {

inline constexpr usize kDefaultAlign = 16;

/// `size` bytes aligned to `align` (a power of two up to 4096), or nullptr when out of memory.
/// Never panics on exhaustion.
void* Allocate(usize size, usize align = kDefaultAlign);
/// Returns memory from Allocate. `p` may be null.
void Free(void* p);

/// Constructs a T on the heap; ENOMEM when the heap is exhausted.
template <typename T, typename... Args>
Result<T*> TryNew(Args&&... args) {
  void* p = Allocate(sizeof(T), alignof(T) > kDefaultAlign ? alignof(T) : kDefaultAlign);
  if (p == nullptr) return Errno::kENOMEM;
  return new (p) T(std::forward<Args>(args)...);
}

/// Destroys and frees an object made by TryNew. `p` may be null.
template <typename T>
void Delete(T* p) {
  if (p == nullptr) return;
  p->~T();
  Free(const_cast<void*>(static_cast<const void*>(p)));
}

}  // namespace kernel::lib
