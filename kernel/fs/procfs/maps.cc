// Memory views of a process: maps, smaps_rollup, statm, and reading its memory (cmdline,
// environ) [man 5 proc; linux fs/proc/task_mmu.c].
#include <hal/mmu.h>
#include <hal/phys.h>

#include "kernel/fs/abi.h"
#include "kernel/fs/file.h"
#include "kernel/fs/fs_context.h"
#include "kernel/fs/path.h"
#include "kernel/fs/procfs/internal.h"
#include "kernel/mm/address_space.h"
#include "kernel/mm/vma.h"

namespace kernel::fs::procfs {

/// Copies up to n bytes at `va` of `as` (active or not) without faulting anything in: the
/// bytes up to the first page that is not present. Returns how many were copied.
Result<usize> ReadProcessMemory(const mm::AddressSpace& as, u64 va, void* out, usize n) {
  auto* dst = static_cast<u8*>(out);
  usize done = 0;
  while (done < n) {
    u64 page = AlignDown(va + done, kPageSize);
    usize chunk = kPageSize - (va + done - page);
    if (chunk > n - done) chunk = n - done;
    if (as.FindVma(va + done) == nullptr) break;
    Result<hal::Translation> t = hal::Mmu::Query(as.root(), page);
    if (t.is_error()) break;
    const u8* src = static_cast<const u8*>(hal::Phys::ToVirt(t.value().phys)) + (va + done - page);
    __builtin_memcpy(dst + done, src, chunk);
    done += chunk;
  }
  return done;
}

namespace {

// Pages of [start, end) that are present.
u64 ResidentBytes(const mm::AddressSpace& as, u64 start, u64 end) {
  u64 pages = 0;
  (void)hal::Mmu::ForEach(
      as.root(), start, end - start,
      [](void* c, u64, const hal::Translation&) {
        ++*static_cast<u64*>(c);
        return true;
      },
      &pages);
  return pages * kPageSize;
}

const mm::AddressSpace* AddressSpaceOf(i64 arg, Errno* err) {
  proc::Task* t = TaskOf(arg);
  if (t == nullptr) {
    *err = Errno::kESRCH;
    return nullptr;
  }
  return t->address_space();
}

}  // namespace

VmTotals VmTotalsOf(const mm::AddressSpace* as) {
  VmTotals v;
  if (as == nullptr) return v;
  for (const mm::Vma& vma : as->vmas()) {
    v.size += vma.size();
    v.resident += ResidentBytes(*as, vma.start(), vma.end());
    if (vma.flags & mm::vma_flags::kStack) {
      v.stack += vma.size();
    } else if ((vma.prot & mm::prot::kExec) && !vma.anonymous()) {
      v.text += vma.size();
      if (v.exe_end == 0) {
        v.exe_start = vma.start();
        v.exe_end = vma.end();
      }
    } else if ((vma.prot & mm::prot::kWrite) && !vma.shared()) {
      v.data += vma.size();
    }
  }
  return v;
}

// "size resident shared text lib data dt", in pages.
Result<void> GenStatm(lib::StringBuilder& out, const Actor&, i64 arg) {
  Errno err{};
  const mm::AddressSpace* as = AddressSpaceOf(arg, &err);
  if (err != Errno{}) return err;
  VmTotals v = VmTotalsOf(as);
  out.AppendFormat("%lu %lu %lu %lu 0 %lu 0\n", v.size / kPageSize, v.resident / kPageSize, 0ul,
                   v.text / kPageSize, (v.data + v.stack) / kPageSize);
  return Ok();
}

// One line per mapping: "start-end perms offset dev inode", then the name in column 74
// [show_map_vma]. A file mapping names its file as the reader's root sees it (d_path, with
// " (deleted)" once unlinked) and shows the file's device and inode; shared anonymous memory
// is Linux's unlinked shmem file "/dev/zero"; the rest is anonymous, with offset 0.
Result<void> GenMaps(lib::StringBuilder& out, const Actor& actor, i64 arg) {
  Errno err{};
  const mm::AddressSpace* as = AddressSpaceOf(arg, &err);
  if (err != Errno{}) return err;
  if (as == nullptr) return Ok();
  for (const mm::Vma& vma : as->vmas()) {
    File* file = vma.anonymous() ? nullptr : vma.object->mapped_file();
    Inode* inode = file != nullptr ? file->inode() : nullptr;
    lib::String path;
    const char* name = nullptr;
    if (file != nullptr && file->path().valid() && actor.fs != nullptr) {
      Result<lib::String> p = PathToString(file->path(), actor.fs->root());
      if (p.is_error()) return p.error();
      path = lib::move(p.value());
      name = path.c_str();
    } else if (vma.flags & mm::vma_flags::kStack) {
      name = "[stack]";
    } else if (vma.flags & mm::vma_flags::kHeap) {
      name = "[heap]";
    } else if (vma.flags & mm::vma_flags::kVdso) {
      name = "[vdso]";
    } else if (vma.flags & mm::vma_flags::kVvar) {
      name = "[vvar]";
    } else if (!vma.anonymous() && vma.shared() && file == nullptr) {
      name = "/dev/zero (deleted)";
    }
    u64 dev = inode != nullptr ? inode->sb().dev() : 0;
    usize before = out.size();
    out.AppendFormat("%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ", vma.start(), vma.end(),
                     (vma.prot & mm::prot::kRead) ? 'r' : '-',
                     (vma.prot & mm::prot::kWrite) ? 'w' : '-',
                     (vma.prot & mm::prot::kExec) ? 'x' : '-', vma.shared() ? 's' : 'p',
                     file != nullptr ? vma.pgoff * kPageSize : 0ul, DevMajor(dev), DevMinor(dev),
                     inode != nullptr ? inode->ino() : 0ul);
    if (name != nullptr) {
      usize width = out.size() - before;
      if (width < 72) out.AppendFormat("%*s", static_cast<int>(72 - width), "");
      out.AppendFormat(" %s", name);
    }
    out.Append('\n');
  }
  return Ok();
}

// The sums of smaps over all mappings [show_smaps_rollup]: every page counts as private.
Result<void> GenSmapsRollup(lib::StringBuilder& out, const Actor&, i64 arg) {
  Errno err{};
  const mm::AddressSpace* as = AddressSpaceOf(arg, &err);
  if (err != Errno{}) return err;
  u64 first = 0, last = 0;
  u64 rss = 0, anon = 0;
  if (as != nullptr) {
    for (const mm::Vma& vma : as->vmas()) {
      if (first == 0) first = vma.start();
      last = vma.end();
      u64 r = ResidentBytes(*as, vma.start(), vma.end());
      rss += r;
      if (vma.anonymous()) anon += r;
    }
  }
  usize before = out.size();
  out.AppendFormat("%08lx-%08lx ---p 00000000 00:00 0 ", first, last);
  usize width = out.size() - before;
  if (width < 72) out.AppendFormat("%*s", static_cast<int>(72 - width), "");
  out.Append(" [rollup]\n");
  const u64 kb = 1024;
  struct Line {
    const char* name;
    u64 value;
  };
  const Line lines[] = {
      {"Rss:", rss},
      {"Pss:", rss},
      {"Pss_Dirty:", anon},
      {"Pss_Anon:", anon},
      {"Pss_File:", rss - anon},
      {"Pss_Shmem:", 0},
      {"Shared_Clean:", 0},
      {"Shared_Dirty:", 0},
      {"Private_Clean:", rss - anon},
      {"Private_Dirty:", anon},
      {"Referenced:", rss},
      {"Anonymous:", anon},
      {"KSM:", 0},
      {"LazyFree:", 0},
      {"AnonHugePages:", 0},
      {"ShmemPmdMapped:", 0},
      {"FilePmdMapped:", 0},
      {"Shared_Hugetlb:", 0},
      {"Private_Hugetlb:", 0},
      {"Swap:", 0},
      {"SwapPss:", 0},
      {"Locked:", 0},
  };
  for (const Line& l : lines) out.AppendFormat("%-16s%8lu kB\n", l.name, l.value / kb);
  return Ok();
}

}  // namespace kernel::fs::procfs
