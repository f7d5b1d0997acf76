#pragma once
/// The memory-management ABI constants of Linux x86_64 [man 2 mmap, man 2 mprotect,
/// man 2 mremap, man 2 madvise; linux include/uapi/asm-generic/mman-common.h].
#include "kernel/lib/types.h"

namespace kernel::mm {

namespace prot {
inline constexpr u32 kNone = 0;
inline constexpr u32 kRead = 0x1;
inline constexpr u32 kWrite = 0x2;
inline constexpr u32 kExec = 0x4;
inline constexpr u32 kSem = 0x8;  ///< accepted and ignored, as on x86
inline constexpr u32 kGrowsDown = 0x01000000;
inline constexpr u32 kGrowsUp = 0x02000000;
inline constexpr u32 kAccess = kRead | kWrite | kExec;
}  // namespace prot

namespace map {
inline constexpr u32 kShared = 0x01;
inline constexpr u32 kPrivate = 0x02;
inline constexpr u32 kSharedValidate = 0x03;
inline constexpr u32 kTypeMask = 0x0f;
inline constexpr u32 kFixed = 0x10;
inline constexpr u32 kAnonymous = 0x20;
inline constexpr u32 k32Bit = 0x40;
inline constexpr u32 kGrowsDown = 0x0100;
inline constexpr u32 kDenyWrite = 0x0800;
inline constexpr u32 kExecutable = 0x1000;
inline constexpr u32 kLocked = 0x2000;
inline constexpr u32 kNoReserve = 0x4000;
inline constexpr u32 kPopulate = 0x8000;
inline constexpr u32 kNonBlock = 0x10000;
inline constexpr u32 kStack = 0x20000;
inline constexpr u32 kHugeTlb = 0x40000;
inline constexpr u32 kSync = 0x80000;
inline constexpr u32 kFixedNoReplace = 0x100000;
inline constexpr u32 kUninitialized = 0x4000000;
/// The flags MAP_SHARED_VALIDATE accepts; anything else is EOPNOTSUPP [linux mm/mmap.c
/// LEGACY_MAP_MASK].
inline constexpr u32 kLegacyMask = kShared | kPrivate | kFixed | kAnonymous | kDenyWrite |
                                   kExecutable | kUninitialized | kGrowsDown | kLocked |
                                   kNoReserve | kPopulate | kNonBlock | kStack | kHugeTlb | k32Bit |
                                   kFixedNoReplace | (0x3fu << 26) /* huge shift */;
}  // namespace map

namespace mremap {
inline constexpr u32 kMayMove = 1;
inline constexpr u32 kFixed = 2;
inline constexpr u32 kDontUnmap = 4;
}  // namespace mremap

namespace madv {
inline constexpr int kNormal = 0, kRandom = 1, kSequential = 2, kWillNeed = 3, kDontNeed = 4,
                     kFree = 8, kRemove = 9, kDontFork = 10, kDoFork = 11, kMergeable = 12,
                     kUnmergeable = 13, kHugePage = 14, kNoHugePage = 15, kDontDump = 16,
                     kDoDump = 17, kWipeOnFork = 18, kKeepOnFork = 19, kCold = 20, kPageOut = 21,
                     kPopulateRead = 22, kPopulateWrite = 23, kDontNeedLocked = 24, kCollapse = 25,
                     kHwPoison = 100, kSoftOffline = 101;
}  // namespace madv

}  // namespace kernel::mm
