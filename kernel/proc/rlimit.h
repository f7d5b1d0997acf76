#pragma once
/// Resource limits [man 2 getrlimit]: the Linux x86_64 resource numbers and the defaults a
/// process started by the kernel gets (those of Linux's init).
#include "kernel/lib/types.h"

namespace kernel::proc {

inline constexpr u64 kRlimInfinity = ~u64{0};

namespace rlimit {
inline constexpr int kCpu = 0, kFsize = 1, kData = 2, kStack = 3, kCore = 4, kRss = 5, kNproc = 6,
                     kNofile = 7, kMemlock = 8, kAs = 9, kLocks = 10, kSigpending = 11,
                     kMsgqueue = 12, kNice = 13, kRtprio = 14, kRttime = 15;
inline constexpr int kCount = 16;
}  // namespace rlimit

struct RLimit {
  u64 cur;
  u64 max;
};

struct RLimits {
  RLimit limits[rlimit::kCount];
  /// Linux's INIT_RLIMITS for a machine of this kernel's size.
  static RLimits Defaults();
};

}  // namespace kernel::proc
