#pragma once
// The tracer's record of what a stub has mapped: hostsim native mode's TLB. A user page is
// mirrored (mmap'd from the physical-memory memfd at its frame) when the stub first touches
// a page whose page-table entry is present ("TLB fill"); page-table changes drop or
// re-protect mirrored pages ("shootdown").
//
// Shootdowns are queued and applied in one batch right before the stub runs again: the stub is
// stopped whenever the kernel runs, and the kernel never reaches user memory through the stub
// (user copies walk the page tables over the arena), so a stale mirror can do no harm until
// then. The map holds the state the stub will have once the queue is applied. Host code.
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace hal::hostsim::native {

/// One system call that brings the stub's mappings in line.
struct MirrorOp {
  enum class Kind : uint8_t { kMap, kUnmap, kProtect } kind;
  uint64_t va;
  uint64_t len;
  int prot;       ///< PROT_* for kMap and kProtect
  uint64_t phys;  ///< arena offset for kMap
  bool operator==(const MirrorOp&) const = default;
};

class Mirror {
 public:
  struct Page {
    uint64_t phys;
    int prot;
  };

  /// The mirrored page at `va` (page aligned), or null.
  const Page* Find(uint64_t va) const;
  size_t size() const { return pages_.size(); }

  /// The stub has just mapped `va` -> `phys` with `prot` (a fill, done at once).
  void Filled(uint64_t va, uint64_t phys, int prot);
  /// The translation of `va` went away or changed frames: drop the mirror, if any.
  void Invalidate(uint64_t va);
  /// The translation of `va` kept its frame with new rights `prot`.
  void Reprotect(uint64_t va, int prot);
  /// The stub has lost every mirror at once (an eviction, a reset); nothing is queued.
  void Forget();
  /// Forgets one page without queueing anything (it is about to be mapped over).
  void Forget(uint64_t va) { pages_.erase(va); }

  bool has_pending() const { return !dirty_.empty(); }
  /// The queued changes as coalesced munmap/mprotect calls, in address order; the queue empties.
  std::vector<MirrorOp> TakePending();

  /// Coalesces fills that are contiguous in both address and frame with equal rights into
  /// single mmap calls (used for fault-around batches).
  static std::vector<MirrorOp> PlanMaps(std::vector<MirrorOp> fills);

 private:
  std::unordered_map<uint64_t, Page> pages_;
  std::vector<uint64_t> dirty_;  ///< pages whose stub state differs from pages_
};

}  // namespace hal::hostsim::native
