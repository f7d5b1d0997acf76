#include "kernel/elf/elf_loader.h"

#include "kernel/lib/alloc.h"
#include "kernel/mm/layout.h"

namespace kernel::elf {
namespace {

// The checks load_elf_binary makes before anything else.
bool HeaderOk(const Ehdr& h) {
  for (usize i = 0; i < sizeof(kMagic); ++i) {
    if (h.ident[i] != kMagic[i]) return false;
  }
  if (h.type != kTypeExec && h.type != kTypeDyn) return false;
  // Linux's elf_check_arch on x86_64 looks at e_machine alone: EI_CLASS and EI_DATA are not
  // checked, so neither are they here.
  return h.machine == kMachineAmd64;
}

// load_elf_phdrs: entries of the right size, at least one, at most 64 KiB of them (Linux 6.x;
// older kernels stopped at a page), all read.
Result<lib::Vector<Phdr>> ReadPhdrs(ExecFile& file, const Ehdr& h) {
  constexpr usize kMaxPhdrBytes = 65536;
  if (h.phentsize != sizeof(Phdr)) return Errno::kENOEXEC;
  usize size = sizeof(Phdr) * h.phnum;
  if (size == 0 || size > kMaxPhdrBytes) return Errno::kENOEXEC;
  lib::Vector<Phdr> phdrs;
  if (phdrs.TryResize(h.phnum).is_error()) return Errno::kENOMEM;
  auto n = file.ReadAt(phdrs.data(), size, h.phoff);
  if (n.is_error() || n.value() != size) return Errno::kENOEXEC;
  return phdrs;
}

u32 ProtOf(u32 flags) {
  u32 p = 0;
  if ((flags & pf::kR) != 0) p |= mm::prot::kRead;
  if ((flags & pf::kW) != 0) p |= mm::prot::kWrite;
  if ((flags & pf::kX) != 0) p |= mm::prot::kExec;
  return p;
}

}  // namespace

bool LooksLikeElf(const u8* head, usize n) {
  if (n < sizeof(kMagic)) return false;
  for (usize i = 0; i < sizeof(kMagic); ++i) {
    if (head[i] != kMagic[i]) return false;
  }
  return true;
}

Result<ElfImage> ReadImage(ExecFile& file, const u8* head) {
  ElfImage image;
  __builtin_memcpy(&image.header, head, sizeof(Ehdr));
  if (!HeaderOk(image.header)) return Errno::kENOEXEC;
  image.phdrs = TRY(ReadPhdrs(file, image.header));
  for (const Phdr& p : image.phdrs) {
    if (p.type == pt::kGnuStack) image.exec_stack = (p.flags & pf::kX) != 0;
  }
  return image;
}

Result<lib::String> ReadInterpreterPath(ExecFile& file, const ElfImage& image) {
  for (const Phdr& p : image.phdrs) {
    if (p.type != pt::kInterp) continue;
    // The first PT_INTERP is the one; a path of 2 to PATH_MAX bytes, NUL included.
    constexpr u64 kPathMax = 4096;
    if (p.filesz > kPathMax || p.filesz < 2) return Errno::kENOEXEC;
    // Off the (small) kernel stack.
    auto* path = static_cast<char*>(lib::Allocate(p.filesz));
    if (path == nullptr) return Errno::kENOMEM;
    auto n = file.ReadAt(path, p.filesz, p.offset);
    Result<lib::String> result = Errno::kEIO;
    if (n.is_error()) {
      result = n.error();
    } else if (n.value() == p.filesz) {
      result = path[p.filesz - 1] != '\0' ? Result<lib::String>(Errno::kENOEXEC)
                                          : lib::String::TryFrom(lib::string_view(path));
    }
    lib::Free(path);
    return result;
  }
  return lib::String();
}

Result<ElfImage> ReadInterpreter(ExecFile& file) {
  u8 head[sizeof(Ehdr)];
  auto n = file.ReadAt(head, sizeof(head), 0);
  if (n.is_error()) return n.error();
  if (n.value() != sizeof(head)) return Errno::kEIO;
  ElfImage image;
  __builtin_memcpy(&image.header, head, sizeof(Ehdr));
  const Ehdr& h = image.header;
  if (!LooksLikeElf(head, sizeof(head)) || h.machine != kMachineAmd64) return Errno::kELIBBAD;
  auto phdrs = ReadPhdrs(file, h);
  if (phdrs.is_error()) return phdrs.error() == Errno::kENOMEM ? Errno::kENOMEM : Errno::kELIBBAD;
  image.phdrs = phdrs.release_value();
  if (h.type != kTypeExec && h.type != kTypeDyn) return Errno::kEINVAL;
  return image;
}

Result<LoadedImage> MapImage(mm::AddressSpace& as, ExecFile& file, const ElfImage& image,
                             Placement placement) {
  const Ehdr& h = image.header;
  // The span of the image, and a check of every segment that set_brk and mmap would refuse
  // [linux fs/binfmt_elf.c: "set_brk can never work. Avoid overflows."].
  u64 lo = ~u64{0}, hi = 0;
  for (const Phdr& p : image.phdrs) {
    if (p.type != pt::kLoad || p.memsz == 0) continue;
    if (p.filesz > p.memsz || p.memsz > mm::kTaskSize || p.vaddr > mm::kTaskSize - p.memsz) {
      return Errno::kEINVAL;
    }
    if ((p.offset & (kPageSize - 1)) != (p.vaddr & (kPageSize - 1))) return Errno::kEINVAL;
    if (p.offset + p.filesz < p.offset) return Errno::kEINVAL;
    if (AlignDown(p.vaddr, kPageSize) < lo) lo = AlignDown(p.vaddr, kPageSize);
    if (p.vaddr + p.memsz > hi) hi = p.vaddr + p.memsz;
  }
  LoadedImage out;
  if (hi == 0) {
    // Nothing to load: Linux execs it all the same, and the program faults at its entry.
    out.entry = h.entry;
    if (out.entry >= mm::kTaskSize) return Errno::kEINVAL;
    return out;
  }
  const u64 span = AlignUp(hi, kPageSize) - lo;

  u64 bias = 0;
  if (h.type == kTypeDyn) {
    if (placement == Placement::kPieWithInterpreter) {
      bias = AlignDown(mm::kElfEtDynBase - lo, kPageSize);
    } else {
      // Where mmap would put the whole image; nothing else is mapping into this new address
      // space meanwhile, so the reservation can go at once.
      mm::MapRequest reserve;
      reserve.length = span;
      reserve.prot = mm::prot::kNone;
      u64 at = TRY(as.Map(reserve));
      TRY(as.Unmap(at, span));
      bias = at - lo;
    }
  }
  if (lo + bias < mm::kMmapMinAddr || lo + bias > mm::kTaskSize - span) return Errno::kEINVAL;
  if (as.vmas().FindFirstOverlap(lo + bias, lo + bias + span) != nullptr) return Errno::kEINVAL;

  out.bias = bias;
  lib::RefPtr<mm::MemoryObject> pages = file.pages();
  for (const Phdr& p : image.phdrs) {
    if (p.type != pt::kLoad || p.memsz == 0) continue;
    const u32 prot = ProtOf(p.flags);
    const u64 start = AlignDown(p.vaddr + bias, kPageSize);
    const u64 file_end = p.vaddr + bias + p.filesz;
    const u64 mem_end = p.vaddr + bias + p.memsz;
    u64 anon_start = start;
    if (p.filesz > 0) {
      mm::MapRequest seg;
      seg.addr = start;
      seg.length = AlignUp(file_end, kPageSize) - start;
      seg.prot = prot;
      seg.map_flags = mm::map::kFixed;
      seg.object = pages;
      seg.pgoff = AlignDown(p.offset, kPageSize) / kPageSize;
      TRY(as.Map(seg));
      anon_start = AlignUp(file_end, kPageSize);
      if ((prot & mm::prot::kWrite) != 0) TRY(as.Populate(start, seg.length, /*write=*/true));
      // The rest of the last file page belongs to the BSS: zero it in a private copy.
      if (mem_end > file_end && !IsAligned(file_end, kPageSize)) {
        u64 zero_end = mem_end < anon_start ? mem_end : anon_start;
        TRY(as.ZeroForced(file_end, zero_end - file_end));
      }
    }
    if (AlignUp(mem_end, kPageSize) > anon_start) {
      mm::MapRequest bss;
      bss.addr = anon_start;
      bss.length = AlignUp(mem_end, kPageSize) - anon_start;
      bss.prot = prot;
      bss.map_flags = mm::map::kFixed;
      TRY(as.Map(bss));
    }
    if (h.phoff >= p.offset && h.phoff - p.offset < p.filesz) {
      out.phdr_addr = h.phoff - p.offset + p.vaddr + bias;
    }
    if (mem_end > out.end) out.end = mem_end;
  }
  out.entry = h.entry + bias;
  if (out.entry >= mm::kTaskSize) return Errno::kEINVAL;
  return out;
}

}  // namespace kernel::elf
