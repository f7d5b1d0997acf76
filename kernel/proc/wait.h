#pragma once
/// Waiting for children [man 2 wait4, man 2 waitid]: the selection rules (pid, process group,
/// __WCLONE/__WALL), WNOHANG and WNOWAIT, and reaping.
#include "kernel/lib/result.h"
#include "kernel/proc/task.h"

namespace kernel::proc {

namespace wait_options {
inline constexpr u32 kNoHang = 0x00000001;
inline constexpr u32 kUntraced = 0x00000002;  ///< = WSTOPPED
inline constexpr u32 kStopped = 0x00000002;
inline constexpr u32 kExited = 0x00000004;
inline constexpr u32 kContinued = 0x00000008;
inline constexpr u32 kNoWait = 0x01000000;
inline constexpr u32 kNoThread = 0x20000000;
inline constexpr u32 kAll = 0x40000000;
inline constexpr u32 kClone = 0x80000000;
}  // namespace wait_options

/// Which children a wait is for.
struct WaitSelector {
  enum class Kind : u8 { kAny, kPid, kPgid } kind = Kind::kAny;
  Pid id = 0;
};

/// What a successful wait found.
struct WaitResult {
  Pid pid = 0;          ///< 0: WNOHANG and nobody ready
  int wait_status = 0;  ///< wait4's status word
  u32 uid = 0;
  u64 user_ns = 0;    ///< the child's CPU time and its reaped children's (RUSAGE_BOTH), for
  u64 system_ns = 0;  ///< wait4's and waitid's struct rusage
};

/// Waits for a child matching `selector` to exit (the only state change this kernel reports
/// until job control exists, TODO(#8)); reaps it unless kNoWait. ECHILD when no child
/// matches, ERESTARTSYS when a signal interrupts the sleep.
Result<WaitResult> WaitForChild(Task& self, WaitSelector selector, u32 options);

}  // namespace kernel::proc
