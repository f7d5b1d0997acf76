#include "kernel/syscalls/mm.h"

#include <hal/mmu.h>

#include "kernel/fs/file_pages.h"
#include "kernel/fs/inode.h"
#include "kernel/mm/address_space.h"
#include "kernel/mm/mman.h"
#include "kernel/syscalls/fs_common.h"

namespace kernel::syscalls {
namespace {

using mm::kTaskSize;

Result<mm::AddressSpace*> SpaceOf(proc::Task& task) {
  mm::AddressSpace* as = task.address_space();
  if (as == nullptr) return Errno::kEFAULT;
  return as;
}

// Linux's check for the calls that take a range that must be mapped: an aligned start and a
// length that does not wrap [linux mm/mlock.c, mm/msync.c].
Result<u64> RangeEnd(u64 addr, u64 length) {
  if (!IsAligned(addr, kPageSize)) return Errno::kEINVAL;
  u64 len = AlignUp(length, kPageSize);
  if (len < length || addr + len < addr) return Errno::kENOMEM;
  return addr + len;
}

// ENOMEM unless every page of [start, end) is mapped.
Result<void> CheckMapped(const mm::AddressSpace& as, u64 start, u64 end) {
  u64 cursor = start;
  for (const mm::Vma* v = as.vmas().FindFirstEndAfter(cursor); v != nullptr && cursor < end;
       v = as.vmas().Next(*v)) {
    if (v->start() > cursor) return Errno::kENOMEM;
    cursor = v->end();
  }
  return cursor < end ? Errno::kENOMEM : Ok();
}

bool IsDevZero(const fs::File& file) {
  return file.kind() == fs::FileKind::kDevice && file.inode() != nullptr &&
         file.inode()->rdev() == fs::MakeDev(1, 5);
}

// What Linux's do_mmap checks of the file: it must be readable; a shared writable mapping
// needs a file open for writing and not append-only; only files with pages can be mapped
// (regular files and /dev/zero here: pipes, directories, sockets and most devices ENODEV).
Result<void> CheckFileMapping(const fs::File& file, const mm::MapRequest& req) {
  const bool regular =
      file.kind() == fs::FileKind::kInode && file.inode() != nullptr && file.inode()->is_regular();
  if (!regular && !IsDevZero(file)) return Errno::kENODEV;
  if (!file.readable()) return Errno::kEACCES;
  if (req.shared && (req.prot & mm::prot::kWrite) != 0) {
    if (!file.writable() || (file.flags() & fs::o::kAppend) != 0) return Errno::kEACCES;
  }
  return Ok();
}

}  // namespace

// void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);
// [man 2 mmap]
Result<VirtAddr> sys_mmap(proc::Task& task, VirtAddr addr, u64 length, Hex prot, Hex flags, Fd fd,
                          u64 offset) {
  mm::AddressSpace* as = TRY(SpaceOf(task));
  const u32 f = static_cast<u32>(flags.value);
  if ((offset & (kPageSize - 1)) != 0) return Errno::kEINVAL;
  if (length == 0) return Errno::kEINVAL;
  u64 len = AlignUp(length, kPageSize);
  if (len < length || len > kTaskSize) return Errno::kENOMEM;
  u64 pgoff = offset / kPageSize;
  if (pgoff + len / kPageSize < pgoff) return Errno::kEOVERFLOW;
  bool shared;
  switch (f & mm::map::kTypeMask) {
    case mm::map::kShared:
      shared = true;
      break;
    case mm::map::kPrivate:
      shared = false;
      break;
    case mm::map::kSharedValidate:
      // Only files validate flags; anonymous memory knows just MAP_SHARED and MAP_PRIVATE
      // (do_mmap's anonymous switch): EINVAL.
      if ((f & mm::map::kAnonymous) != 0) return Errno::kEINVAL;
      if ((f & ~mm::map::kLegacyMask) != 0) return Errno::kEOPNOTSUPP;
      shared = true;
      break;
    default:
      return Errno::kEINVAL;
  }
  const bool anonymous = (f & mm::map::kAnonymous) != 0;
  if ((f & mm::map::kHugeTlb) != 0) {
    // No huge pages are reserved (vm.nr_hugepages = 0), and no hugetlbfs to map from.
    return anonymous ? Errno::kENOMEM : Errno::kEINVAL;
  }
  mm::MapRequest req;
  req.addr = addr.value;
  req.length = len;
  req.prot = static_cast<u32>(prot.value);
  req.map_flags = f;
  req.shared = shared;
  req.pgoff = 0;
  if (!anonymous) {
    lib::RefPtr<fs::File> file = TRY(GetFile(task, fd.value));
    TRY(CheckFileMapping(*file, req));
    // file_mmap_ok: the mapping must end below the largest file offset (LLONG_MAX).
    constexpr u64 kMaxFileSize = 0x7fffffffffffffffull;
    if (pgoff > (kMaxFileSize - len) >> 12) return Errno::kEOVERFLOW;
    if (IsDevZero(*file)) {
      // /dev/zero maps as anonymous memory, private or shared (Linux's mmap_zero).
      req.map_flags |= mm::map::kAnonymous;
    } else {
      req.object = TRY(fs::FilePages::Create(lib::move(file)));
      req.pgoff = pgoff;
    }
  }
  return VirtAddr{TRY(as->Map(req))};
}

// int munmap(void *addr, size_t length);  [man 2 munmap]
Result<void> sys_munmap(proc::Task& task, VirtAddr addr, u64 length) {
  mm::AddressSpace* as = TRY(SpaceOf(task));
  if (!IsAligned(addr.value, kPageSize) || addr.value > kTaskSize ||
      length > kTaskSize - addr.value) {
    return Errno::kEINVAL;
  }
  u64 len = AlignUp(length, kPageSize);
  if (len == 0) return Errno::kEINVAL;
  return as->Unmap(addr.value, len);
}

// int mprotect(void *addr, size_t len, int prot);  [man 2 mprotect]
Result<void> sys_mprotect(proc::Task& task, VirtAddr addr, u64 length, Hex prot) {
  mm::AddressSpace* as = TRY(SpaceOf(task));
  const u64 p = prot.value;
  constexpr u64 kValid =
      mm::prot::kAccess | mm::prot::kSem | mm::prot::kGrowsDown | mm::prot::kGrowsUp;
  if ((p & ~kValid) != 0) return Errno::kEINVAL;
  if ((p & mm::prot::kGrowsDown) != 0 && (p & mm::prot::kGrowsUp) != 0) return Errno::kEINVAL;
  return as->Protect(addr.value, length, static_cast<u32>(p));
}

// void *mremap(void *old_address, size_t old_size, size_t new_size, int flags, ...
//              /* void *new_address */);  [man 2 mremap]
Result<VirtAddr> sys_mremap(proc::Task& task, VirtAddr old_addr, u64 old_length, u64 new_length,
                            Hex flags, VirtAddr new_addr) {
  mm::AddressSpace* as = TRY(SpaceOf(task));
  return VirtAddr{TRY(as->Remap(old_addr.value, old_length, new_length,
                                static_cast<u32>(flags.value), new_addr.value))};
}

// int madvise(void *addr, size_t length, int advice);  [man 2 madvise]
Result<void> sys_madvise(proc::Task& task, VirtAddr addr, u64 length, int advice) {
  mm::AddressSpace* as = TRY(SpaceOf(task));
  return as->Advise(addr.value, length, advice);
}

// The raw brk system call returns the new break, or the old one when it cannot move: it never
// fails with an errno [man 2 brk, "C library/kernel differences"].
Result<VirtAddr> sys_brk(proc::Task& task, VirtAddr addr) {
  mm::AddressSpace* as = task.address_space();
  if (as == nullptr) return VirtAddr{0};
  return VirtAddr{as->Brk(addr.value)};
}

// int msync(void *addr, size_t length, int flags);  [man 2 msync]
Result<void> sys_msync(proc::Task& task, VirtAddr addr, u64 length, Hex flags) {
  mm::AddressSpace* as = TRY(SpaceOf(task));
  constexpr u64 kAsync = 1, kInvalidate = 2, kSync = 4;
  if ((flags.value & ~(kAsync | kInvalidate | kSync)) != 0) return Errno::kEINVAL;
  if ((flags.value & kAsync) != 0 && (flags.value & kSync) != 0) return Errno::kEINVAL;
  if (!IsAligned(addr.value, kPageSize)) return Errno::kEINVAL;
  u64 end = TRY(RangeEnd(addr.value, length));
  // Shared mappings write straight into their objects' pages, so there is nothing to flush
  // here; writing the page cache back is the file system's business (TODO(#4)). The range
  // must be mapped all the same.
  return CheckMapped(*as, addr.value, end);
}

// Pages are never paged out here, so locking them is a matter of checking the range
// [man 2 mlock].
Result<void> sys_mlock(proc::Task& task, VirtAddr addr, u64 length) {
  mm::AddressSpace* as = TRY(SpaceOf(task));
  u64 start = AlignDown(addr.value, kPageSize);
  u64 end = TRY(RangeEnd(start, length + (addr.value - start)));
  TRY(CheckMapped(*as, start, end));
  (void)as->Populate(start, end - start, /*write=*/false);  // PROT_NONE pages stay as they are
  return Ok();
}

Result<void> sys_munlock(proc::Task& task, VirtAddr addr, u64 length) {
  mm::AddressSpace* as = TRY(SpaceOf(task));
  u64 start = AlignDown(addr.value, kPageSize);
  u64 end = TRY(RangeEnd(start, length + (addr.value - start)));
  return CheckMapped(*as, start, end);
}

Result<void> sys_mlockall(proc::Task&, Hex flags) {
  constexpr u64 kCurrent = 1, kFuture = 2, kOnFault = 4;
  if (flags.value == 0 || (flags.value & ~(kCurrent | kFuture | kOnFault)) != 0 ||
      flags.value == kOnFault) {
    return Errno::kEINVAL;
  }
  return Ok();
}

Result<void> sys_munlockall(proc::Task&) { return Ok(); }

// int mincore(void *addr, size_t length, unsigned char *vec);  [man 2 mincore] One byte per
// page, bit 0 set when the page is resident: here, when the page table maps it.
Result<void> sys_mincore(proc::Task& task, VirtAddr addr, u64 length, UserOut<u8> vec) {
  mm::AddressSpace* as = TRY(SpaceOf(task));
  if (!IsAligned(addr.value, kPageSize)) return Errno::kEINVAL;
  u64 len = AlignUp(length, kPageSize);
  if (len < length || addr.value > kTaskSize || len > kTaskSize - addr.value) {
    return Errno::kENOMEM;
  }
  TRY(CheckMapped(*as, addr.value, addr.value + len));
  u8 chunk[64];
  u64 pages = len / kPageSize;
  for (u64 done = 0; done < pages;) {
    u64 n = pages - done < sizeof(chunk) ? pages - done : sizeof(chunk);
    for (u64 i = 0; i < n; ++i) {
      auto t = hal::Mmu::Query(as->root(), addr.value + (done + i) * kPageSize);
      chunk[i] = t.ok() && (t.value().flags & hal::pte::kPresent) != 0 ? 1 : 0;
    }
    TRY(vec.Offset(done).WriteBytes(chunk, n));
    done += n;
  }
  return Ok();
}

// int mlock2(const void *addr, size_t len, unsigned int flags);  [man 2 mlock2]
Result<void> sys_mlock2(proc::Task& task, VirtAddr addr, u64 length, Hex flags) {
  constexpr u64 kMlockOnFault = 1;
  if ((flags.value & ~kMlockOnFault) != 0) return Errno::kEINVAL;
  return sys_mlock(task, addr, length);
}

}  // namespace kernel::syscalls
