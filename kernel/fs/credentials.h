#pragma once
/// The identity a file-system operation acts with: the fs uid/gid, the supplementary groups
/// and the capabilities that bypass permission checks. Permission checks take it explicitly,
/// so tests can act as any user without a process behind them.
#include "kernel/lib/std.h"
#include "kernel/lib/types.h"

namespace kernel::proc {
class Task;
}

namespace kernel::fs {

/// Capability numbers [linux/capability.h] that the VFS consults.
enum class Cap : u8 {
  kChown = 0,
  kDacOverride = 1,
  kDacReadSearch = 2,
  kFowner = 3,
  kFsetid = 4,
  kSysChroot = 18,
  kSysAdmin = 21,
  kMknod = 27,
};

struct Credentials {
  u32 uid = 0;                  ///< fsuid: the owner checks compare against it
  u32 gid = 0;                  ///< fsgid
  lib::span<const u32> groups;  ///< supplementary groups (owned by the caller)
  u64 caps = 0;                 ///< bit N set: capability N is effective

  bool Has(Cap c) const { return (caps >> static_cast<u8>(c)) & 1; }
  bool InGroup(u32 g) const {
    if (g == gid) return true;
    for (u32 x : groups)
      if (x == g) return true;
    return false;
  }

  /// uid 0 with every capability, as root has on Linux.
  static Credentials Root() { return Credentials{0, 0, {}, ~u64{0}}; }
  /// An unprivileged user.
  static Credentials User(u32 uid, u32 gid, lib::span<const u32> groups = {}) {
    return Credentials{uid, gid, groups, 0};
  }
};

/// The credentials `task` acts with: its fs ids and groups (kernel/proc/credentials.h).
Credentials CredentialsOf(const proc::Task& task);
/// The credentials access(2) checks with: the real ids (faccessat2 without AT_EACCESS).
Credentials RealCredentialsOf(const proc::Task& task);

}  // namespace kernel::fs
