#pragma once
/// timerfd_create(2): a timer as a file [man 2 timerfd_create; linux fs/timerfd.c]. Reading
/// returns, as 8 bytes, how many times it expired since the last read (or settime), blocking
/// until it has expired at least once unless the file is non-blocking (EAGAIN); poll and
/// epoll report it readable then.
///
/// The timer runs on the monotonic clock (CLOCK_BOOTTIME equals it: Aramid never suspends);
/// an absolute CLOCK_REALTIME expiry is converted with the wall-clock offset at settime, and
/// TFD_TIMER_CANCEL_ON_SET makes a later clock_settime cancel the wait (read: ECANCELED).
#include "kernel/fs/file.h"
#include "kernel/time/timespec.h"

namespace kernel::time {

inline constexpr u32 kTfdNonBlock = fs::o::kNonBlock;
inline constexpr u32 kTfdCloexec = fs::o::kCloexec;
inline constexpr u32 kTfdTimerAbstime = 1;
inline constexpr u32 kTfdTimerCancelOnSet = 2;

/// A new, disarmed timerfd on `clock` (CLOCK_REALTIME, MONOTONIC, BOOTTIME; the _ALARM
/// variants need `privileged` (CAP_WAKE_ALARM): EPERM; anything else EINVAL). Flags other
/// than TFD_NONBLOCK/TFD_CLOEXEC are EINVAL.
Result<lib::RefPtr<fs::File>> CreateTimerFd(int clock, u32 flags, bool privileged);

/// timerfd_settime: arms (value != 0) or disarms the timer and resets the expiration count;
/// returns the previous setting. EINVAL for unknown flags, invalid timespecs or a file that
/// is not a timerfd.
Result<Itimerspec> SetTimerFd(fs::File& file, u32 flags, const Itimerspec& value);
/// timerfd_gettime: the time left until the next expiry (0 when disarmed) and the interval.
Result<Itimerspec> GetTimerFd(fs::File& file);

/// clocks.cc calls this when the wall clock is set: TFD_TIMER_CANCEL_ON_SET timers fire.
void OnRealtimeSet();

}  // namespace kernel::time
