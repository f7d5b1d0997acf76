#pragma once
/// AddressSpace: a user address space — its page tables (hal::Mmu) and its mappings (VMAs in
/// an interval tree) — shared by the threads of a process (CLONE_VM) and copied on write by
/// fork. docs/processes.md describes the design.
///
/// Page ownership: every user PTE holds one reference on its frame (mm::GetPage/PutPage).
/// A private anonymous page with one reference belongs to its mapping alone; a private page
/// with more (after fork) or one that belongs to a MemoryObject is mapped read-only and
/// copied on the first write (kernel/mm/fault.cc).
///
/// Locking: the kernel is uniprocessor and non-preemptive, and nothing here sleeps while the
/// tree or the tables are half-updated; GetPage of a MemoryObject is the only call that may
/// block in future (disk reads), and the fault path looks the VMA up again after it.
#include <hal/mmu.h>

#include "kernel/lib/alloc.h"
#include "kernel/lib/intrusive_list.h"
#include "kernel/lib/ref_ptr.h"
#include "kernel/lib/result.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/vma.h"

namespace kernel::mm {

/// What mmap asks for, already validated by sys_mmap (kernel/syscalls/mm.cc).
struct MapRequest {
  u64 addr = 0;       ///< a hint, or the exact place with kFixed / kFixedNoReplace
  u64 length = 0;     ///< page aligned, > 0
  u32 prot = 0;       ///< prot::*
  u32 map_flags = 0;  ///< map::* (kFixed, kFixedNoReplace, kPopulate, kGrowsDown, ...)
  bool shared = false;
  lib::RefPtr<MemoryObject> object;  ///< null: private anonymous memory
  u64 pgoff = 0;                     ///< page offset into `object`
  u32 vma_flags = 0;                 ///< extra vma_flags (kStack, kHeap) for kernel-made mappings
};

/// Whether `bytes` of new memory is more than the machine could ever back: Linux's heuristic
/// overcommit refuses such a request (mmap, brk) with ENOMEM up front.
bool IsObviousOvercommit(u64 bytes);

class AddressSpace : public lib::RefCounted<AddressSpace> {
 public:
  /// An empty address space. ENOMEM.
  static Result<lib::RefPtr<AddressSpace>> Create();
  AddressSpace(const AddressSpace&) = delete;
  AddressSpace& operator=(const AddressSpace&) = delete;
  /// Unmaps everything, drops every page reference and frees the page tables. Must not be the
  /// active address space.
  ~AddressSpace();

  hal::PageTableRoot root() const { return root_; }
  const VmaTree& vmas() const { return vmas_; }
  /// The VMA containing `va`, or null.
  Vma* FindVma(u64 va) const { return vmas_.FindContaining(va); }

  // ---- mappings (kernel/mm/mmap.cc) ----
  /// mmap: creates a mapping and returns its address. EINVAL, ENOMEM (no room, no memory),
  /// EEXIST (MAP_FIXED_NOREPLACE over a mapping).
  Result<u64> Map(const MapRequest& request);
  /// munmap: removes every mapping in [addr, addr + length) (page aligned); holes are fine.
  Result<void> Unmap(u64 addr, u64 length);
  /// mprotect: ENOMEM when part of the range is not mapped (the part before the hole is
  /// changed, as on Linux).
  Result<void> Protect(u64 addr, u64 length, u32 prot);
  /// mremap [man 2 mremap]; returns the new address.
  Result<u64> Remap(u64 old_addr, u64 old_length, u64 new_length, u32 flags, u64 new_addr);
  /// madvise [man 2 madvise].
  Result<void> Advise(u64 addr, u64 length, int advice);
  /// Faults in every page of [addr, addr + length) as a read or a write would (MAP_POPULATE,
  /// writable PT_LOAD segments at execve, MADV_POPULATE_*). EFAULT when a page cannot be
  /// accessed that way, ENOMEM.
  Result<void> Populate(u64 addr, u64 length, bool write);

  // ---- page faults (kernel/mm/fault.cc) ----
  /// Resolves a fault at `va` with x86 #PF bits (hal::pf). Ok: retry the access. EFAULT: the
  /// access is not allowed (SIGSEGV). ENOMEM: no memory (SIGBUS... the caller decides).
  Result<void> HandleFault(u64 va, u64 error_code);

  // ---- fork (kernel/mm/cow.cc) ----
  /// A copy-on-write copy for a fork child: private pages are shared read-only between the
  /// two, shared mappings are shared. ENOMEM leaves `this` intact (a page it had writable
  /// may now be read-only: the next write just takes it back).
  Result<lib::RefPtr<AddressSpace>> Fork();

  // ---- brk (kernel/mm/brk.cc) ----
  /// Sets where the heap starts (execve, after the image is loaded).
  void SetBrkStart(u64 start) { brk_start_ = brk_ = start; }
  u64 brk_start() const { return brk_start_; }
  u64 brk() const { return brk_; }
  /// brk(2): moves the break and returns the new one, or the old one when it cannot move.
  u64 Brk(u64 requested);

  // ---- direct access for the kernel (execve, tests) ----
  /// Copies bytes into the address space through the page tables, faulting pages in as a
  /// write by the kernel would but ignoring the protection (ELF BSS zeroing, the initial
  /// stack of an address space that is not active). EFAULT outside any mapping.
  Result<void> WriteForced(u64 va, const void* src, usize n);
  Result<void> ZeroForced(u64 va, usize n);

  /// Pages mapped (present or PROT_NONE) in the page tables: the resident set, for /proc and
  /// tests.
  usize CountMappedPages() const;

  /// Where top-down mmap placement starts; stacks and execve set up the layout.
  u64 mmap_base() const { return mmap_base_; }
  void set_mmap_base(u64 base) { mmap_base_ = base; }
  /// The initial stack's top (execve).
  /// Where execve put the argument and environment strings, as Linux's mm->arg_start...
  /// (/proc/<pid>/cmdline and environ read them; set by elf::BuildInitialStack).
  struct ExecStrings {
    u64 arg_start = 0, arg_end = 0, env_start = 0, env_end = 0;
  };
  const ExecStrings& exec_strings() const { return exec_strings_; }
  void set_exec_strings(const ExecStrings& s) { exec_strings_ = s; }

  u64 stack_top() const { return stack_top_; }
  void set_stack_top(u64 top) { stack_top_ = top; }
  /// The stack rlimit that bounds how far a kGrowsDown VMA grows.
  void set_stack_limit(u64 limit) { stack_limit_ = limit; }

  /// Debug check of the tree and of every VMA (tests). Panics on the first inconsistency.
  void Verify() const;

  /// Truncation's reverse map [mm/memory.c unmap_mapping_range with even_cows]: in every
  /// address space, unmaps the pages of each mapping of an object with this mapping_key()
  /// from object page `first_index` on, private copies included, so that the next touch
  /// faults and finds the page gone (SIGBUS past the end of a file).
  static void ZapObjectPages(const void* key, u64 first_index);

  AddressSpace();  // for TryNew; use Create()
  /// On the list of every live address space (ZapObjectPages walks it).
  lib::ListNode all_node_;

 private:
  // Core operations shared by the files above (kernel/mm/address_space.cc).
  /// Splits `vma` at `at` (strictly inside it) using `spare` for the upper half, which is
  /// returned.
  Vma* SplitAt(Vma& vma, u64 at, Vma* spare);
  /// Unmaps [start, end) of the page tables, dropping each frame's reference.
  void ZapRange(u64 start, u64 end);
  /// Removes and frees every VMA inside [start, end), which must start and end on VMA
  /// boundaries (split first), with their pages.
  void RemoveRange(u64 start, u64 end);
  /// Links `vma` (fields filled in) over [start, end), which must be free.
  Vma* InsertVma(Vma* vma, u64 start, u64 end);
  /// Splits VMAs so that [start, end) begins and ends on VMA boundaries, then calls
  /// fn(Vma&) for each VMA inside it, in order. ENOMEM (nothing changed) when the split needs
  /// memory; ENOMEM after the calls when part of the range is not mapped (Linux's mprotect
  /// and madvise semantics). `fn` returns Result<void>; its error stops the walk.
  template <typename Fn>
  Result<void> ForEachVmaIn(u64 start, u64 end, Fn&& fn);
  /// Joins `vma` with its neighbours where they are compatible; returns the survivor.
  Vma* MergeAround(Vma* vma);
  /// Rewrites the PTE flags of every mapped page of `vma` after its prot changed.
  void RefreshPteFlags(const Vma& vma);
  /// Picks a free range of `length` bytes (top down from mmap_base_); ENOMEM.
  Result<u64> FindFreeRange(u64 length, u64 hint) const;
  /// Makes the page at `va` of `vma` present for the access (the body of HandleFault).
  Result<void> FaultIn(Vma& vma, u64 va, bool write);
  /// Grows a kGrowsDown VMA down to cover `va` when the guard gap and rlimit allow.
  Vma* ExpandStack(u64 va);

  hal::PageTableRoot root_;
  VmaTree vmas_;
  u64 brk_start_ = 0;
  u64 brk_ = 0;
  u64 mmap_base_ = kMmapBase;
  u64 stack_top_ = kStackTop;
  ExecStrings exec_strings_;
  u64 stack_limit_ = kDefaultStackLimit;
};

template <typename Fn>
Result<void> AddressSpace::ForEachVmaIn(u64 start, u64 end, Fn&& fn) {
  Vma* first = vmas_.FindFirstEndAfter(start);
  if (first == nullptr || first->start() >= end) return Errno::kENOMEM;
  // At most two splits: at `start` in the first VMA and at `end` in the last. Take the memory
  // before changing anything.
  Vma* last = vmas_.FindContaining(end - 1);
  bool split_start = first->start() < start;
  bool split_end = last != nullptr && last->end() > end;
  Vma* spares[2] = {nullptr, nullptr};
  usize need = (split_start ? 1 : 0) + (split_end ? 1 : 0);
  for (usize i = 0; i < need; ++i) {
    auto v = lib::TryNew<Vma>();
    if (v.is_error()) {
      for (Vma* s : spares) lib::Delete(s);
      return Errno::kENOMEM;
    }
    spares[i] = v.value();
  }
  usize used = 0;
  if (split_start) first = SplitAt(*first, start, spares[used++]);
  if (split_end) {
    last = vmas_.FindContaining(end - 1);
    SplitAt(*last, end, spares[used++]);
  }
  u64 cursor = start;
  for (Vma* v = first; v != nullptr && v->start() < end;) {
    if (v->start() > cursor) return Errno::kENOMEM;  // a hole: Linux stops here
    Vma* next = vmas_.Next(*v);
    cursor = v->end();
    TRY(fn(*v));
    v = next;
  }
  if (cursor < end) return Errno::kENOMEM;
  return Ok();
}

/// The PteVisitor that drops the reference of each frame an unmap removes.
bool PutPageVisitor(void* cookie, u64 va, const hal::Translation& t);

}  // namespace kernel::mm
