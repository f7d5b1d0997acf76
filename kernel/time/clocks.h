#pragma once
/// The clocks user space reads [man 2 clock_gettime]: the settable wall clock, and CPU time
/// per thread and per process. The monotonic clock is time::MonotonicNs (timer.h).
///
/// CPU time: a task's user time is the time spent inside hal::Cpu::EnterUser (measured in
/// proc::RunUserLoop); its total time on the CPU is accounted at every context switch; system
/// time is the difference. Both are exact on hostsim's virtual clock.
#include "kernel/lib/result.h"
#include "kernel/lib/types.h"

namespace kernel::proc {
class Task;
class Process;
}  // namespace kernel::proc

namespace kernel::time {

// clockid_t values [linux include/uapi/linux/time.h]
inline constexpr int kClockRealtime = 0, kClockMonotonic = 1, kClockProcessCputime = 2,
                     kClockThreadCputime = 3, kClockMonotonicRaw = 4, kClockRealtimeCoarse = 5,
                     kClockMonotonicCoarse = 6, kClockBoottime = 7, kClockRealtimeAlarm = 8,
                     kClockBoottimeAlarm = 9, kClockTai = 11;

/// Nanoseconds since the Unix epoch: the boot wall clock, the monotonic clock, and what
/// clock_settime/settimeofday added.
u64 RealtimeNs();
/// clock_settime(CLOCK_REALTIME): the wall clock reads `ns` from now on.
void SetRealtimeNs(u64 ns);
/// Realtime minus monotonic: converts absolute CLOCK_REALTIME deadlines to monotonic ones.
i64 RealtimeOffsetNs();

/// User and system CPU time of a task, and of a process (its live threads plus the threads
/// that have exited).
struct CpuTimes {
  u64 user_ns = 0;
  u64 system_ns = 0;
  u64 total() const { return user_ns + system_ns; }
};
CpuTimes TaskCpuTimes(const proc::Task& task);
CpuTimes ProcessCpuTimes(proc::Process& p);

/// Scheduler hook: `prev` leaves the CPU and `next` takes it at `now`.
void AccountSwitch(proc::Task& prev, proc::Task& next, u64 now);

/// clock_gettime for any clock id, CPU clocks of other threads/processes included
/// (negative ids: ~pid << 3 | type). EINVAL for unknown clocks.
Result<u64> ClockNow(proc::Task& caller, int clock);
/// clock_getres: 1 ns, a tick for the coarse clocks.
Result<u64> ClockResolution(proc::Task& caller, int clock);

}  // namespace kernel::time
