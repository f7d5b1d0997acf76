// tmpfs regular files (sparse page maps), symlinks and special nodes.
#include <hal/phys.h>

#include "kernel/fs/file_pages.h"
#include "kernel/fs/io_buffer.h"
#include "kernel/fs/path.h"
#include "kernel/fs/tmpfs/tmpfs.h"
#include "kernel/mm/page_alloc.h"

namespace kernel::fs::tmpfs {
namespace {
u8* PageBytes(PhysAddr pa) { return static_cast<u8*>(hal::Phys::ToVirt(pa)); }
}  // namespace

TmpfsFile::TmpfsFile(TmpfsSuperBlock& sb, u32 mode, u32 uid, u32 gid)
    : TmpfsInode(sb, mode, uid, gid) {}

TmpfsFile::~TmpfsFile() {
  pages_.RemoveFrom(0, [&](u64, PhysAddr pa) {
    mm::PutPage(pa);
    tsb().UnchargePage();
  });
}

Result<usize> TmpfsFile::Read(const IoBuffer& buf, u64 offset) {
  u64 sz = size();
  if (offset >= sz) return usize{0};
  usize n = buf.size();
  if (n > sz - offset) n = static_cast<usize>(sz - offset);
  usize done = 0;
  while (done < n) {
    u64 pos = offset + done;
    usize in_page = pos % kPageSize;
    usize chunk = kPageSize - in_page;
    if (chunk > n - done) chunk = n - done;
    PhysAddr pa = pages_.Get(pos / kPageSize);
    Result<void> r =
        pa != 0 ? buf.Write(done, PageBytes(pa) + in_page, chunk) : buf.Zero(done, chunk);
    if (r.is_error()) {
      // A fault part-way through: the bytes before it still count, as copy_to_user's short
      // count lets Linux return them (the byte-wise retry runs only on this error path).
      usize ok = 0;
      while (ok < chunk && (pa != 0 ? buf.Write(done + ok, PageBytes(pa) + in_page + ok, 1)
                                    : buf.Zero(done + ok, 1))
                               .ok()) {
        ++ok;
      }
      done += ok;
      if (done == 0) return r.error();
      break;
    }
    done += chunk;
  }
  return done;
}

Result<PhysAddr> TmpfsFile::PageForWrite(u64 index) {
  PhysAddr pa = pages_.Get(index);
  if (pa != 0) return pa;
  TRY(tsb().ChargePage());
  Result<PhysAddr> fresh = mm::AllocZeroedPage();
  if (fresh.is_error()) {
    tsb().UnchargePage();
    return fresh.error();
  }
  Result<void> set = pages_.Set(index, fresh.value());
  if (set.is_error()) {
    mm::FreePage(fresh.value());
    tsb().UnchargePage();
    return set.error();
  }
  return fresh.value();
}

Result<usize> TmpfsFile::Write(const IoBuffer& buf, u64 offset) {
  usize n = buf.size();
  if (n == 0) return usize{0};
  if (offset >= kMaxSize) return Errno::kEFBIG;
  if (n > kMaxSize - offset) n = static_cast<usize>(kMaxSize - offset);
  usize done = 0;
  Errno failure{};
  while (done < n) {
    u64 pos = offset + done;
    usize in_page = pos % kPageSize;
    usize chunk = kPageSize - in_page;
    if (chunk > n - done) chunk = n - done;
    Result<PhysAddr> pa = PageForWrite(pos / kPageSize);
    if (pa.is_error()) {
      failure = pa.error();
      break;
    }
    Result<void> r = buf.Read(done, PageBytes(pa.value()) + in_page, chunk);
    if (r.is_error()) {
      failure = r.error();
      break;
    }
    done += chunk;
  }
  if (done > 0) {
    if (offset + done > size()) set_size(offset + done);
    TouchMtime();
    // TODO(#8): a write by a caller without CAP_FSETID clears set-user-ID and
    // set-group-ID [man 2 write]; every caller is root until credentials exist.
    return done;
  }
  return failure;
}

Result<void> TmpfsFile::Truncate(u64 new_size) {
  if (new_size > kMaxSize) return Errno::kEFBIG;
  u64 old = size();
  if (new_size < old) {
    // Mappings first: their references would otherwise keep the old pages readable.
    ZapMappingsPast(*this, new_size);
    // Pages wholly past the new end go; the tail of the last page is zeroed so that growing
    // the file again (or a mapping of that page) shows zeros, not the old bytes.
    u64 first_gone = (new_size + kPageSize - 1) / kPageSize;
    pages_.RemoveFrom(first_gone, [&](u64, PhysAddr pa) {
      mm::PutPage(pa);
      tsb().UnchargePage();
    });
    if (new_size % kPageSize != 0) {
      PhysAddr pa = pages_.Get(new_size / kPageSize);
      if (pa != 0) {
        usize keep = new_size % kPageSize;
        __builtin_memset(PageBytes(pa) + keep, 0, kPageSize - keep);
      }
    }
  }
  set_size(new_size);
  TouchMtime();
  return Ok();
}

Result<PhysAddr> TmpfsFile::GetPage(u64 index) {
  if (index > PageMap::kMaxIndex) return Errno::kEFBIG;
  if (index * kPageSize >= size()) {
    // Wholly past EOF: a private zero page, not part of the file.
    return mm::AllocZeroedPage();
  }
  PhysAddr pa = TRY(PageForWrite(index));
  mm::GetPage(pa);
  return pa;
}

// Linux's shmem_file_llseek: data is wherever a page exists; holes are pages that do not.
Result<u64> TmpfsFile::SeekData(u64 offset, bool hole) {
  u64 sz = size();
  if (offset >= sz) return Errno::kENXIO;
  u64 start = offset / kPageSize;
  u64 found;
  if (hole) {
    found = pages_.NextAbsent(start);
  } else {
    lib::optional<u64> next = pages_.NextPresent(start);
    if (!next) return Errno::kENXIO;
    found = *next;
  }
  u64 result = found * kPageSize;
  if (result < offset) result = offset;
  if (result >= sz) {
    if (!hole) return Errno::kENXIO;
    result = sz;
  }
  return result;
}

// ---- symlinks and special nodes ----

TmpfsSymlink::TmpfsSymlink(TmpfsSuperBlock& sb, u32 uid, u32 gid, lib::String target)
    : TmpfsInode(sb, mode::kSymlink | 0777, uid, gid), target_(lib::move(target)) {
  set_size(target_.size());
}

Result<LinkTarget> TmpfsSymlink::GetLink(const Actor&) {
  LinkTarget t;
  t.text = TRY(target_.TryClone());
  TouchAtime();
  return t;
}

TmpfsNode::TmpfsNode(TmpfsSuperBlock& sb, u32 mode, u32 uid, u32 gid, u64 rdev)
    : TmpfsInode(sb, mode, uid, gid) {
  set_rdev(rdev);
}

}  // namespace kernel::fs::tmpfs
