#include "kernel/debug/page_inspect.h"

#include <hal/phys.h>

#include "kernel/debug/log.h"
#include "kernel/lib/format.h"

namespace kernel::debug {
namespace {

constexpr const char* kLevelNames[] = {"PTE", "PDE", "PDPTE", "PML4E"};

class Printer {
 public:
  explicit Printer(const InspectOptions& o) : o_(o) {}

  void Line(const char* fmt, ...) __attribute__((format(printf, 2, 3))) {
    char buf[160];
    va_list args;
    va_start(args, fmt);
    usize n = lib::VSnprintf(buf, sizeof(buf), fmt, args);
    va_end(args);
    if (n >= sizeof(buf)) n = sizeof(buf) - 1;
    if (o_.sink != nullptr) {
      o_.sink(o_.sink_ctx, buf, n);
    } else {
      log::Write(buf, n);
    }
  }

 private:
  const InspectOptions& o_;
};

// "P W U PWT PCD A D PS G NX" style: the names of the bits that are set [intel-sdm 3 table 4-19].
void DescribeFlags(u64 e, int level, char* out, usize n) {
  struct Bit {
    u64 mask;
    const char* name;
  };
  static constexpr Bit kBits[] = {
      {hal::pte::kPresent, "P"},        {hal::pte::kWritable, "W"},
      {hal::pte::kUser, "U"},           {hal::pte::kWriteThrough, "PWT"},
      {hal::pte::kCacheDisable, "PCD"}, {hal::pte::kAccessed, "A"},
      {hal::pte::kDirty, "D"},          {hal::pte::kHuge, "PS"},
      {hal::pte::kGlobal, "G"},         {hal::pte::kSoftware0, "SW0"},
      {hal::pte::kSoftware1, "SW1"},    {hal::pte::kSoftware2, "SW2"},
      {hal::pte::kNoExecute, "NX"}};
  usize used = 0;
  out[0] = '\0';
  for (const Bit& b : kBits) {
    // PS in a PTE is PAT, and means nothing at the PML4 level.
    if (b.mask == hal::pte::kHuge && (level == 0 || level == 3)) continue;
    if ((e & b.mask) == 0) continue;
    used += lib::Snprintf(out + used, used < n ? n - used : 0, "%s%s", used ? " " : "", b.name);
  }
  if (used == 0) lib::Snprintf(out, n, "-");
}

void DumpBytes(Printer& p, PhysAddr page, u64 page_va, u64 va, usize bytes) {
  if (bytes > kPageSize) bytes = kPageSize;
  const auto* data = static_cast<const u8*>(hal::Phys::ToVirt(page));
  usize first = (va - page_va) & ~usize{15};
  for (usize done = 0; done < bytes; done += 16) {
    usize off = (first + done) % kPageSize;
    char hex[16 * 3 + 1];
    char text[17];
    for (usize i = 0; i < 16; ++i) {
      u8 c = data[off + i];
      lib::Snprintf(hex + i * 3, 4, " %02x", c);
      text[i] = c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '.';
    }
    text[16] = '\0';
    p.Line("  %016lx:%s  |%s|\n", page_va + off, hex, text);
  }
}

}  // namespace

InspectResult InspectAddress(hal::PageTableRoot root, u64 va, const InspectOptions& options) {
  Printer p(options);
  InspectResult r;
  p.Line("page walk of 0x%016lx in the address space with PML4 at %#lx:\n", va, root.pml4);
  const u64 top = va >> 47;
  if (top != 0 && top != 0x1ffff) {
    p.Line("  not canonical: no translation\n");
    return r;
  }
  PhysAddr table = root.pml4;
  for (int level = 3; level >= 0; --level) {
    if (table == 0 || table % kPageSize != 0 || table >= hal::Phys::PhysEnd()) {
      p.Line("  %s table at %#lx is outside physical memory: the walk stops\n", kLevelNames[level],
             table);
      return r;
    }
    const unsigned index = static_cast<unsigned>((va >> (12 + 9 * level)) & 511);
    const u64 e = static_cast<const u64*>(hal::Phys::ToVirt(table))[index];
    const PhysAddr next = e & hal::pte::kAddressMask;
    char flags[64];
    DescribeFlags(e, level, flags, sizeof(flags));
    p.Line("  %-5s [%3u] = %016lx  -> 0x%010lx  %s\n", kLevelNames[level], index, e, next, flags);
    ++r.entries;
    const bool leaf = level == 0 || (level <= 2 && (e & hal::pte::kHuge) != 0);
    if (leaf) {
      r.leaf_level = level;
      r.leaf_entry = e;
    }
    if ((e & hal::pte::kPresent) == 0) {
      p.Line(e == 0 ? "  not mapped\n"
                    : "  mapped but not present (PROT_NONE, or a swapped-out entry)\n");
      return r;
    }
    if (!leaf) {
      table = next;
      continue;
    }
    const u64 span = u64{1} << (12 + 9 * level);
    // A huge leaf's frame is aligned to its span; bits 12.. of the PS entry hold PAT too.
    const PhysAddr frame = next & ~(span - 1);
    r.present = true;
    r.phys = frame + (va & (span - 1));
    const PhysAddr page = r.phys & ~u64{kPageSize - 1};
    p.Line("  -> physical %#lx (%s page)\n", r.phys,
           level == 0   ? "4 KiB"
           : level == 1 ? "2 MiB"
                        : "1 GiB");
    if (options.dump_bytes == 0) return r;
    if (page >= hal::Phys::PhysEnd()) {
      p.Line("  the page is not RAM (device memory?): its bytes are not shown\n");
      return r;
    }
    DumpBytes(p, page, va & ~u64{kPageSize - 1}, va, options.dump_bytes);
    return r;
  }
  return r;
}

}  // namespace kernel::debug
