#pragma once
// How hostsim's native mode will follow page-table changes into the stub process that plays
// an address space. Host code. The Mmu backend (mmu.cc) calls the observer, when one is set,
// for every change to a translation the stub may have mirrored, after the page tables are
// updated: that is hostsim's TLB shootdown. Scripted mode sets no observer: the software MMU
// reads the tables on every access and caches nothing.
#include <hal/mmu.h>

namespace hal::hostsim {

class AddressSpaceObserver {
 public:
  virtual ~AddressSpaceObserver() = default;
  /// A present translation of the page at `va` went away: unmapped, remapped to another
  /// frame, or made non-present (PROT_NONE). The mirror must drop it (munmap in the stub);
  /// the next access faults and is mirrored afresh.
  virtual void OnUnmap(PageTableRoot root, u64 va, const Translation& old) = 0;
  /// A present translation kept its frame but changed its flags (mprotect in the stub).
  virtual void OnProtect(PageTableRoot root, u64 va, const Translation& old,
                         const Translation& now) = 0;
  /// The address space is being destroyed; no more calls for `root` follow.
  virtual void OnDestroy(PageTableRoot root) = 0;
};

/// Installs the observer (nullptr removes it). Not owned.
void SetAddressSpaceObserver(AddressSpaceObserver* observer);

}  // namespace hal::hostsim
