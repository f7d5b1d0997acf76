#pragma once
// Shared by the procfs files: the superblock, argument encoding of per-process inodes, and
// the makers of the per-process directories.
#include "kernel/fs/actor.h"
#include "kernel/fs/synth/synth.h"
#include "kernel/proc/process.h"

namespace kernel::fs::procfs {

/// Per-process inodes carry (tgid, tid) in their argument: tid 0 means the process as a whole
/// (/proc/<pid>/...), otherwise one thread (/proc/<pid>/task/<tid>/...).
constexpr i64 PidArg(proc::Pid tgid, proc::Pid tid) {
  return static_cast<i64>(static_cast<u64>(static_cast<u32>(tgid)) |
                          (static_cast<u64>(static_cast<u32>(tid)) << 32));
}
constexpr proc::Pid TgidOf(i64 arg) {
  return static_cast<proc::Pid>(static_cast<u64>(arg) & 0xffffffffu);
}
constexpr proc::Pid TidOf(i64 arg) { return static_cast<proc::Pid>(static_cast<u64>(arg) >> 32); }

/// The process of a per-process inode, or null once it is gone (reaped).
proc::Process* ProcessOf(i64 arg);
/// The thread: `tid`, or the process's leader.
proc::Task* TaskOf(i64 arg);

/// /proc/<pid> (tid 0) or /proc/<pid>/task/<tid>.
Result<lib::RefPtr<Inode>> MakePidDir(SuperBlock& sb, u64 ino, i64 arg);

/// Inode numbers: the root is 1, fixed entries come from synth::ChildIno; /proc/<pid>
/// directories get PidDirIno(pid) so they stay stable across lookups.
inline constexpr u64 kRootIno = 1;
constexpr u64 PidDirIno(proc::Pid tgid, proc::Pid tid) {
  return (u64{static_cast<u32>(tid)} << 32 | static_cast<u32>(tgid)) * 64 + 0x100000000ull;
}

// Generators shared between the process and thread directories (pid_files.cc, maps.cc,
// mounts.cc).
Result<void> GenStat(lib::StringBuilder& out, const Actor& actor, i64 arg);
Result<void> GenStatm(lib::StringBuilder& out, const Actor& actor, i64 arg);
Result<void> GenStatus(lib::StringBuilder& out, const Actor& actor, i64 arg);
Result<void> GenMaps(lib::StringBuilder& out, const Actor& actor, i64 arg);
Result<void> GenSmapsRollup(lib::StringBuilder& out, const Actor& actor, i64 arg);
Result<void> GenMounts(lib::StringBuilder& out, const Actor& actor, i64 arg);
Result<void> GenMountInfo(lib::StringBuilder& out, const Actor& actor, i64 arg);

/// Virtual memory totals of an address space, in bytes (statm, status, stat).
struct VmTotals {
  u64 size = 0;      ///< every mapping
  u64 resident = 0;  ///< pages present
  u64 text = 0;      ///< executable file mappings
  u64 data = 0;      ///< private writable, not stack
  u64 stack = 0;
  u64 exe_start = 0, exe_end = 0;  ///< the lowest executable mapping (startcode/endcode)
};
VmTotals VmTotalsOf(const mm::AddressSpace* as);

}  // namespace kernel::fs::procfs
