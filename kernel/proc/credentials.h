#pragma once
/// Who a task acts as [man 7 credentials]: real, effective, saved and filesystem ids, and the
/// supplementary groups. Permission checks use the filesystem ids (equal to the effective ids
/// unless setfsuid/setfsgid changed them) and the groups.
#include "kernel/lib/types.h"

namespace kernel::proc {

using Uid = u32;
using Gid = u32;

inline constexpr usize kMaxGroups = 32;  ///< NGROUPS we accept (Linux allows 65536)

struct Credentials {
  Uid uid = 0, euid = 0, suid = 0, fsuid = 0;
  Gid gid = 0, egid = 0, sgid = 0, fsgid = 0;
  u32 group_count = 0;
  Gid groups[kMaxGroups] = {};

  /// Root as Linux sees it for file access: fsuid 0 (capabilities are all-or-nothing here).
  bool IsFsRoot() const { return fsuid == 0; }
  bool InGroup(Gid g) const {
    if (g == fsgid) return true;
    for (u32 i = 0; i < group_count; ++i) {
      if (groups[i] == g) return true;
    }
    return false;
  }
};

}  // namespace kernel::proc
