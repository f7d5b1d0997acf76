#pragma once
/// Fast user-space mutexes [man 2 futex]: tasks sleep on a 32-bit word of user memory until
/// another task wakes that word. Keys follow Linux's get_futex_key: a private futex is its
/// (address space, address); a shared one on a MAP_SHARED mapping is (memory object, offset),
/// so it matches across processes; a shared one on private memory is (address space, address)
/// but a different key from the private one.
#include "kernel/lib/result.h"
#include "kernel/proc/task.h"

namespace kernel::proc::futex {

namespace op {
inline constexpr int kWait = 0, kWake = 1, kFd = 2, kRequeue = 3, kCmpRequeue = 4, kWakeOp = 5,
                     kLockPi = 6, kUnlockPi = 7, kTrylockPi = 8, kWaitBitset = 9, kWakeBitset = 10,
                     kWaitRequeuePi = 11, kCmpRequeuePi = 12, kLockPi2 = 13;
inline constexpr int kPrivateFlag = 128;
inline constexpr int kClockRealtime = 256;
inline constexpr int kCmdMask = ~(kPrivateFlag | kClockRealtime);
}  // namespace op

inline constexpr u32 kBitsetMatchAny = 0xffffffff;

/// futex(2) with its six arguments as the system call passes them; `timeout` is a user
/// pointer for the waits and the number val2 for the requeues and WAKE_OP.
Result<i64> Futex(Task& task, u64 uaddr, int op, u32 val, u64 timeout, u64 uaddr2, u32 val3);

/// Wakes up to `count` tasks waiting on `uaddr` in `task`'s address space (the exit path's
/// CLONE_CHILD_CLEARTID wake). Returns how many.
Result<u32> Wake(Task& task, u64 uaddr, bool is_private, u32 count, u32 bitset);

/// Tasks asleep on any futex (tests).
usize WaiterCount();

}  // namespace kernel::proc::futex
