#include "kernel/fs/super_block.h"

#include <hal/phys.h>

#include "kernel/mm/page_alloc.h"

namespace kernel::fs {
namespace {
// Anonymous device numbers (major 0), as Linux hands them to file systems without a device.
u32 g_next_anon_minor = 1;
}  // namespace

SuperBlock::SuperBlock(const FileSystemType& type, i64 magic, u64 flags)
    : flags_(flags), type_(&type), magic_(magic), dev_(MakeDev(0, g_next_anon_minor++)) {}

SuperBlock::~SuperBlock() = default;

void SuperBlock::StatFs(fs::StatFs& out) const {
  out.type = magic_;
  out.bsize = kPageSize;
  out.frsize = kPageSize;
  out.namelen = kNameMax;
}

Result<void> SuperBlock::Remount(u64 flags, lib::string_view) {
  flags_ = (flags_ & ~ms::kRdOnly) | (flags & ms::kRdOnly);
  return Ok();
}

void SuperBlock::ShowOptions(lib::StringBuilder&) const {}

Result<u64> ParseSizeOption(lib::string_view s) {
  if (s.empty()) return Errno::kEINVAL;
  u64 value = 0;
  usize i = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (lib::MulOverflows(value, u64{10}, &value) ||
        lib::AddOverflows(value, static_cast<u64>(s[i] - '0'), &value)) {
      return Errno::kEINVAL;
    }
  }
  if (i == 0) return Errno::kEINVAL;
  lib::string_view suffix = s.substr(i);
  u64 shift = 0;
  if (suffix == "%") {
    // A percentage of RAM, as tmpfs's size=50% [Documentation/filesystems/tmpfs.rst].
    if (value > 100) return Errno::kEINVAL;
    u64 total = mm::GetPhysStats().total_pages * kPageSize;
    return total / 100 * value;
  }
  if (suffix == "k" || suffix == "K")
    shift = 10;
  else if (suffix == "m" || suffix == "M")
    shift = 20;
  else if (suffix == "g" || suffix == "G")
    shift = 30;
  else if (suffix == "t" || suffix == "T")
    shift = 40;
  else if (!suffix.empty())
    return Errno::kEINVAL;
  if (shift != 0 && value > (~u64{0} >> shift)) return Errno::kEINVAL;
  return value << shift;
}

}  // namespace kernel::fs
