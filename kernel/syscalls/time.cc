// Clocks [man 2 clock_gettime]: REALTIME is the boot wall clock plus the monotonic clock (it
// cannot be set yet); MONOTONIC, BOOTTIME and MONOTONIC_RAW are the monotonic clock (the
// machine never suspends); the CPU-time clocks count from the start of the process or thread
// (an upper bound until the scheduler accounts CPU time, TODO(#5)).
#include "kernel/syscalls/time.h"

#include <hal/clock.h>

#include "kernel/proc/pid_table.h"
#include "kernel/proc/process.h"
#include "kernel/proc/wait_queue.h"
#include "kernel/time/timer.h"

namespace kernel::syscalls {
namespace {

constexpr int kRealtime = 0, kMonotonic = 1, kProcessCputime = 2, kThreadCputime = 3,
              kMonotonicRaw = 4, kRealtimeCoarse = 5, kMonotonicCoarse = 6, kBoottime = 7,
              kRealtimeAlarm = 8, kBoottimeAlarm = 9, kTai = 11;
constexpr u64 kNsPerSec = 1'000'000'000;
constexpr u64 kTickNs = kNsPerSec / proc::sched::kTickHz;

struct Timespec {
  i64 sec;
  i64 nsec;
};

Timespec ToTimespec(u64 ns) {
  return {static_cast<i64>(ns / kNsPerSec), static_cast<i64>(ns % kNsPerSec)};
}

u64 RealtimeNs() { return hal::Clock::BootWallClockNs() + time::MonotonicNs(); }

// The value of `clock` now, in nanoseconds; EINVAL for a clock that does not exist.
Result<u64> ClockNow(proc::Task& task, int clock) {
  const u64 now = time::MonotonicNs();
  if (clock < 0) {
    // A CPU clock of another process or thread: ~pid << 3 | type, type 2 is "sched", bit 2
    // per-thread [linux include/linux/posix-timers.h]. Type 3 (a clock fd) is not supported.
    if ((clock & 3) == 3) return Errno::kEINVAL;
    proc::Pid pid = ~(clock >> 3);
    bool thread = (clock & 4) != 0;
    if (thread) {
      proc::Task* t = pid == 0 ? &task : proc::FindTask(pid);
      if (t == nullptr) return Errno::kEINVAL;
      return now - t->start_time_ns_;
    }
    proc::Process* p = pid == 0 ? task.process() : proc::FindProcess(pid);
    if (p == nullptr) return Errno::kEINVAL;
    return now - p->start_time_ns();
  }
  switch (clock) {
    case kRealtime:
    case kRealtimeAlarm:
    case kTai:
      return RealtimeNs();
    case kRealtimeCoarse:
      return RealtimeNs() / kTickNs * kTickNs;
    case kMonotonic:
    case kMonotonicRaw:
    case kBoottime:
    case kBoottimeAlarm:
      return now;
    case kMonotonicCoarse:
      return now / kTickNs * kTickNs;
    case kProcessCputime:
      return now - task.process()->start_time_ns();
    case kThreadCputime:
      return now - task.start_time_ns_;
    default:
      return Errno::kEINVAL;
  }
}

Result<u64> ReadRequest(UserIn<u8> req) {
  Timespec ts;
  TRY(req.ReadBytes(&ts, sizeof(ts)));
  if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= static_cast<i64>(kNsPerSec)) {
    return Errno::kEINVAL;
  }
  constexpr u64 kMaxSec = (~u64{0} >> 2) / kNsPerSec;  // far enough in the future
  if (static_cast<u64>(ts.sec) > kMaxSec) return (~u64{0} >> 2);
  return static_cast<u64>(ts.sec) * kNsPerSec + static_cast<u64>(ts.nsec);
}

// Sleeps until the monotonic deadline; on a signal, stores what was left in `rem` (relative
// sleeps only) and returns EINTR. TODO(#8): restart through ERESTART_RESTARTBLOCK.
Result<void> SleepUntilMonotonic(u64 deadline, UserOut<u8> rem) {
  auto r = proc::SleepUntil(deadline);
  if (r.ok()) return Ok();
  if (!rem.is_null()) {
    u64 now = time::MonotonicNs();
    Timespec left = ToTimespec(deadline > now ? deadline - now : 0);
    TRY(rem.WriteBytes(&left, sizeof(left)));
  }
  return Errno::kEINTR;
}

}  // namespace

// int clock_gettime(clockid_t clockid, struct timespec *tp);  [man 2 clock_gettime]
Result<void> sys_clock_gettime(proc::Task& task, int clock, UserOut<u8> tp) {
  u64 ns = TRY(ClockNow(task, clock));
  Timespec ts = ToTimespec(ns);
  return tp.WriteBytes(&ts, sizeof(ts));
}

// int clock_getres(clockid_t clockid, struct timespec *res);  [man 2 clock_getres]
Result<void> sys_clock_getres(proc::Task& task, int clock, UserOut<u8> res) {
  (void)TRY(ClockNow(task, clock));
  if (res.is_null()) return Ok();
  bool coarse = clock == kRealtimeCoarse || clock == kMonotonicCoarse;
  Timespec ts = ToTimespec(coarse ? kTickNs : 1);
  return res.WriteBytes(&ts, sizeof(ts));
}

// int gettimeofday(struct timeval *tv, struct timezone *tz);  [man 2 gettimeofday]
Result<void> sys_gettimeofday(proc::Task&, UserOut<u8> tv, UserOut<u8> tz) {
  if (!tv.is_null()) {
    u64 ns = RealtimeNs();
    i64 val[2] = {static_cast<i64>(ns / kNsPerSec), static_cast<i64>(ns % kNsPerSec / 1000)};
    TRY(tv.WriteBytes(val, sizeof(val)));
  }
  if (!tz.is_null()) {
    i32 zone[2] = {0, 0};  // UTC, no daylight-saving correction
    TRY(tz.WriteBytes(zone, sizeof(zone)));
  }
  return Ok();
}

// time_t time(time_t *tloc);  [man 2 time]
Result<i64> sys_time(proc::Task&, UserOut<i64> tloc) {
  i64 now = static_cast<i64>(RealtimeNs() / kNsPerSec);
  if (!tloc.is_null()) TRY(tloc.Write(now));
  return now;
}

// int nanosleep(const struct timespec *req, struct timespec *rem);  [man 2 nanosleep]
Result<void> sys_nanosleep(proc::Task&, UserIn<u8> req, UserOut<u8> rem) {
  u64 ns = TRY(ReadRequest(req));
  return SleepUntilMonotonic(time::MonotonicNs() + ns, rem);
}

// int clock_nanosleep(clockid_t clockid, int flags, const struct timespec *request,
//                     struct timespec *remain);  [man 2 clock_nanosleep]
Result<void> sys_clock_nanosleep(proc::Task& task, int clock, int flags, UserIn<u8> req,
                                 UserOut<u8> rem) {
  constexpr int kTimerAbstime = 1;
  switch (clock) {
    case kRealtime:
    case kMonotonic:
    case kBoottime:
    case kTai:
    case kProcessCputime:
      break;
    case kThreadCputime:
      return Errno::kEINVAL;
    case kMonotonicRaw:
    case kRealtimeCoarse:
    case kMonotonicCoarse:
    case kRealtimeAlarm:
    case kBoottimeAlarm:
      return Errno::kEOPNOTSUPP;
    default:
      if (clock >= 0) return Errno::kEINVAL;
      (void)TRY(ClockNow(task, clock));
      break;
  }
  u64 ns = TRY(ReadRequest(req));
  u64 now = time::MonotonicNs();
  if ((flags & kTimerAbstime) == 0) return SleepUntilMonotonic(now + ns, rem);
  u64 clock_now = TRY(ClockNow(task, clock));
  u64 deadline = ns > clock_now ? now + (ns - clock_now) : now;
  auto r = proc::SleepUntil(deadline);
  return r.ok() ? Ok() : Errno::kEINTR;
}

}  // namespace kernel::syscalls
