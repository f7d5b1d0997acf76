// Clocks and sleeps [man 2 clock_gettime, man 2 nanosleep]: the values come from kernel/time
// (the settable realtime clock, the monotonic clock, CPU clocks of any thread or process);
// sleeps are on the monotonic clock and resume through restart_syscall after a stop.
#include "kernel/syscalls/time.h"

#include "kernel/proc/process.h"
#include "kernel/proc/wait_queue.h"
#include "kernel/signal/state.h"
#include "kernel/time/clocks.h"
#include "kernel/time/timer.h"

namespace kernel::syscalls {
namespace {

constexpr int kRealtime = 0, kMonotonic = 1, kProcessCputime = 2, kThreadCputime = 3,
              kMonotonicRaw = 4, kRealtimeCoarse = 5, kMonotonicCoarse = 6, kBoottime = 7,
              kRealtimeAlarm = 8, kBoottimeAlarm = 9, kTai = 11;
constexpr u64 kNsPerSec = 1'000'000'000;

struct Timespec {
  i64 sec;
  i64 nsec;
};

Timespec ToTimespec(u64 ns) {
  return {static_cast<i64>(ns / kNsPerSec), static_cast<i64>(ns % kNsPerSec)};
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

Result<i64> RestartSleep(proc::Task& task, signal::RestartBlock& block);

// Sleeps until the monotonic deadline. A signal ends the sleep: what was left goes to `rem`
// (when given) and the call returns ERESTART_RESTARTBLOCK, which the signal code turns into
// EINTR when a handler runs, or into restart_syscall, which sleeps on to the same deadline,
// when none does (a stop and SIGCONT) [linux kernel/time/hrtimer.c do_nanosleep].
Result<i64> SleepUntilMonotonic(proc::Task& task, u64 deadline, u64 rem) {
  auto r = proc::SleepUntil(deadline);
  if (r.ok()) return 0;
  if (rem != 0) {
    u64 now = time::MonotonicNs();
    Timespec left = ToTimespec(deadline > now ? deadline - now : 0);
    TRY(UserOut<u8>(rem).WriteBytes(&left, sizeof(left)));
  }
  signal::RestartBlock& b = task.signals().restart;
  b.fn = &RestartSleep;
  b.args[0] = deadline;
  b.args[1] = rem;
  return Errno::kERESTART_RESTARTBLOCK;
}

Result<i64> RestartSleep(proc::Task& task, signal::RestartBlock& block) {
  return SleepUntilMonotonic(task, block.args[0], block.args[1]);
}

}  // namespace

// int clock_gettime(clockid_t clockid, struct timespec *tp);  [man 2 clock_gettime]
Result<void> sys_clock_gettime(proc::Task& task, int clock, UserOut<u8> tp) {
  u64 ns = TRY(time::ClockNow(task, clock));
  Timespec ts = ToTimespec(ns);
  return tp.WriteBytes(&ts, sizeof(ts));
}

// int clock_getres(clockid_t clockid, struct timespec *res);  [man 2 clock_getres]
Result<void> sys_clock_getres(proc::Task& task, int clock, UserOut<u8> res) {
  u64 ns = TRY(time::ClockResolution(task, clock));
  if (res.is_null()) return Ok();
  Timespec ts = ToTimespec(ns);
  return res.WriteBytes(&ts, sizeof(ts));
}

// int gettimeofday(struct timeval *tv, struct timezone *tz);  [man 2 gettimeofday]
Result<void> sys_gettimeofday(proc::Task&, UserOut<u8> tv, UserOut<u8> tz) {
  if (!tv.is_null()) {
    u64 ns = time::RealtimeNs();
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
  i64 now = static_cast<i64>(time::RealtimeNs() / kNsPerSec);
  if (!tloc.is_null()) TRY(tloc.Write(now));
  return now;
}

// int nanosleep(const struct timespec *req, struct timespec *rem);  [man 2 nanosleep]
Result<void> sys_nanosleep(proc::Task& task, UserIn<u8> req, UserOut<u8> rem) {
  u64 ns = TRY(ReadRequest(req));
  TRY(SleepUntilMonotonic(task, time::MonotonicNs() + ns, rem.addr()));
  return Ok();
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
      (void)TRY(time::ClockNow(task, clock));
      break;
  }
  u64 ns = TRY(ReadRequest(req));
  u64 now = time::MonotonicNs();
  if ((flags & kTimerAbstime) == 0) {
    TRY(SleepUntilMonotonic(task, now + ns, rem.addr()));
    return Ok();
  }
  // An absolute sleep writes no `rem` and restarts as the same call (ERESTARTNOHAND).
  u64 clock_now = TRY(time::ClockNow(task, clock));
  u64 deadline = ns > clock_now ? now + (ns - clock_now) : now;
  auto r = proc::SleepUntil(deadline);
  return r.ok() ? Ok() : Errno::kERESTARTNOHAND;
}

}  // namespace kernel::syscalls
