#pragma once
/// fork, vfork, clone and clone3 [man 2 clone]: one function, Clone, shares or copies each
/// resource exactly as its flag says, and nothing else.
#include "kernel/lib/result.h"
#include "kernel/proc/task.h"
#include "kernel/proc/wait_queue.h"

namespace kernel::proc {

/// Linux's clone flags [linux include/uapi/linux/sched.h].
namespace clone_flags {
inline constexpr u64 kCsignal = 0x000000ff;
inline constexpr u64 kNewTime = 0x00000080;
inline constexpr u64 kVm = 0x00000100;
inline constexpr u64 kFs = 0x00000200;
inline constexpr u64 kFiles = 0x00000400;
inline constexpr u64 kSighand = 0x00000800;
inline constexpr u64 kPidfd = 0x00001000;
inline constexpr u64 kPtrace = 0x00002000;
inline constexpr u64 kVfork = 0x00004000;
inline constexpr u64 kParent = 0x00008000;
inline constexpr u64 kThread = 0x00010000;
inline constexpr u64 kNewNs = 0x00020000;
inline constexpr u64 kSysvsem = 0x00040000;
inline constexpr u64 kSettls = 0x00080000;
inline constexpr u64 kParentSettid = 0x00100000;
inline constexpr u64 kChildCleartid = 0x00200000;
inline constexpr u64 kDetached = 0x00400000;
inline constexpr u64 kUntraced = 0x00800000;
inline constexpr u64 kChildSettid = 0x01000000;
inline constexpr u64 kNewCgroup = 0x02000000;
inline constexpr u64 kNewUts = 0x04000000;
inline constexpr u64 kNewIpc = 0x08000000;
inline constexpr u64 kNewUser = 0x10000000;
inline constexpr u64 kNewPid = 0x20000000;
inline constexpr u64 kNewNet = 0x40000000;
inline constexpr u64 kIo = 0x80000000;
inline constexpr u64 kClearSighand = 0x100000000ull;
inline constexpr u64 kIntoCgroup = 0x200000000ull;
inline constexpr u64 kNamespaces =
    kNewNs | kNewCgroup | kNewUts | kNewIpc | kNewUser | kNewPid | kNewNet;
}  // namespace clone_flags

/// struct clone_args of clone3, and what fork/vfork/clone turn into.
struct CloneArgs {
  u64 flags = 0;
  u64 pidfd = 0;
  u64 child_tid = 0;
  u64 parent_tid = 0;
  u64 exit_signal = 0;
  u64 stack = 0;       ///< the child's stack pointer (clone3: lowest address of the stack)
  u64 stack_size = 0;  ///< clone3 only: the stack is [stack, stack + stack_size)
  u64 tls = 0;
  u64 set_tid = 0;
  u64 set_tid_size = 0;
  u64 cgroup = 0;
};

/// Where a vfork parent sleeps until its child execs or exits.
struct VforkDone {
  bool done = false;
  WaitQueue queue;
};

/// Creates the child and makes it runnable; returns its tid (its pid unless CLONE_THREAD).
/// `args.stack` is already the initial stack pointer (clone3's stack + stack_size).
/// EINVAL for flag combinations Linux refuses (and for namespaces and pidfds, which this
/// kernel does not have), ENOMEM/EAGAIN when memory or ids run out, with nothing leaked.
/// `set_tid` is clone3's array of `args.set_tid_size` ids, already copied in: with one pid
/// namespace, one id may be chosen (EINVAL for more, or one out of range; EPERM without
/// privilege; EEXIST when in use) [man 2 clone3, linux kernel/pid.c alloc_pid].
Result<Pid> Clone(Task& parent, const CloneArgs& args, const i32* set_tid = nullptr);

/// unshare(2): `task` stops sharing what `flags` names with the tasks it shares it with.
/// CLONE_FS and CLONE_FILES copy a shared fs context or fd table; CLONE_NEWNS (root only,
/// else EPERM) moves to a copy of the mount namespace. CLONE_THREAD, CLONE_SIGHAND and
/// CLONE_VM only succeed when nothing is shared (EINVAL otherwise), CLONE_SYSVSEM is
/// accepted; the namespaces this kernel lacks are EINVAL, as for clone. On error nothing
/// changed.
Result<void> Unshare(Task& task, u64 flags);

}  // namespace kernel::proc
