#pragma once
/// PageMap: a sparse map from page index to physical page, a radix tree of 512-entry nodes
/// (each node one physical page, like a page table) that grows in height as indices grow.
/// tmpfs keeps a file's data in one; a hole is an index with no page.
///
/// The map does not own the pages it maps: Remove* hand each one to the caller.
#include "kernel/lib/result.h"
#include "kernel/lib/std.h"
#include "kernel/lib/types.h"

namespace kernel::fs {

class PageMap {
 public:
  PageMap() = default;
  PageMap(const PageMap&) = delete;
  PageMap& operator=(const PageMap&) = delete;
  /// The map must be empty (RemoveFrom(0, ...)) before it is destroyed.
  ~PageMap();

  /// The page at `index`, or 0.
  PhysAddr Get(u64 index) const;
  /// Maps `index` to `page` (replacing nothing: the slot must be empty); ENOMEM when a node
  /// cannot be allocated, leaving the map as it was.
  Result<void> Set(u64 index, PhysAddr page);
  /// Removes every page at index >= first, calling fn(index, page) for each, and frees the
  /// nodes that no longer map anything below `first`.
  template <typename Fn>
  void RemoveFrom(u64 first, Fn fn) {
    struct Thunk {
      static void Call(void* ctx, u64 index, PhysAddr page) {
        (*static_cast<Fn*>(ctx))(index, page);
      }
    };
    RemoveFromImpl(first, &Thunk::Call, &fn);
  }
  /// The first index >= from with a page, or nullopt.
  lib::optional<u64> NextPresent(u64 from) const;
  /// The first index >= from without a page.
  u64 NextAbsent(u64 from) const;
  /// Pages mapped.
  u64 count() const { return count_; }
  /// The largest index the map can ever hold.
  static constexpr u64 kMaxIndex = (u64{1} << 51) - 1;

 private:
  static constexpr unsigned kBits = 9;
  static constexpr u64 kFanout = u64{1} << kBits;
  using Visit = void (*)(void* ctx, u64 index, PhysAddr page);

  u64 Capacity() const {
    return height_ == 0 ? 0 : (height_ * kBits >= 64 ? ~u64{0} : u64{1} << (height_ * kBits));
  }
  void RemoveFromImpl(u64 first, Visit visit, void* ctx);

  PhysAddr root_ = 0;
  unsigned height_ = 0;  // 0: empty; a root of height h maps indices below 512^h
  u64 count_ = 0;
};

}  // namespace kernel::fs
