#include "kernel/time/clocks.h"

#include <hal/clock.h>

#include "kernel/proc/process.h"
#include "kernel/proc/scheduler.h"
#include "kernel/time/process_timers.h"
#include "kernel/time/timer.h"
#include "kernel/time/timerfd.h"
#include "kernel/tty/session.h"
#include "kernel/vdso/vdso.h"

namespace kernel::time {
namespace {
i64 g_realtime_adjust_ns = 0;  // what clock_settime added to the boot wall clock
constexpr u64 kTickNs = 1'000'000'000 / proc::sched::kTickHz;

proc::Task* FindTaskById(proc::Pid tid) {
  proc::Task* found = nullptr;
  tty::ForEachProcess([&](proc::Process& p) {
    p.ForEachThread([&](proc::Task& t) {
      if (t.tid() == tid) found = &t;
    });
  });
  return found;
}
}  // namespace

u64 RealtimeNs() {
  return static_cast<u64>(static_cast<i64>(hal::Clock::BootWallClockNs() + MonotonicNs()) +
                          g_realtime_adjust_ns);
}

void SetRealtimeNs(u64 ns) {
  g_realtime_adjust_ns =
      static_cast<i64>(ns) - static_cast<i64>(hal::Clock::BootWallClockNs() + MonotonicNs());
  OnRealtimeSet();  // TFD_TIMER_CANCEL_ON_SET timerfds [linux clock_was_set]
  vdso::UpdateVvar();
}

i64 RealtimeOffsetNs() {
  return static_cast<i64>(hal::Clock::BootWallClockNs()) + g_realtime_adjust_ns;
}

CpuTimes TaskCpuTimes(const proc::Task& t) {
  u64 on_cpu = t.on_cpu_ns_;
  if (proc::sched::Current() == &t) on_cpu += MonotonicNs() - t.switched_in_ns_;
  CpuTimes c;
  c.user_ns = t.user_ns_ < on_cpu ? t.user_ns_ : on_cpu;
  c.system_ns = on_cpu - c.user_ns;
  return c;
}

CpuTimes ProcessCpuTimes(proc::Process& p) {
  CpuTimes c = p.timers().dead_threads;
  p.ForEachThread([&](proc::Task& t) {
    CpuTimes tc = TaskCpuTimes(t);
    c.user_ns += tc.user_ns;
    c.system_ns += tc.system_ns;
  });
  return c;
}

void AccountSwitch(proc::Task& prev, proc::Task& next, u64 now) {
  if (prev.switched_in_ns_ != 0 || prev.on_cpu_ns_ != 0) {
    prev.on_cpu_ns_ += now - prev.switched_in_ns_;
  }
  next.switched_in_ns_ = now;
}

Result<u64> ClockNow(proc::Task& caller, int clock) {
  if (clock < 0) {
    // ~pid << 3 | type: type 2 is CPUCLOCK_SCHED, bit 2 means one thread, type 3 a clock fd
    // [linux include/linux/posix-timers.h].
    if ((clock & 3) == 3) return Errno::kEINVAL;
    const proc::Pid pid = ~(clock >> 3);
    if ((clock & 4) != 0) {
      proc::Task* t = pid == 0 ? &caller : FindTaskById(pid);
      if (t == nullptr) return Errno::kEINVAL;
      return TaskCpuTimes(*t).total();
    }
    proc::Process* p = pid == 0 ? caller.process() : tty::FindProcess(pid);
    if (p == nullptr) return Errno::kEINVAL;
    return ProcessCpuTimes(*p).total();
  }
  switch (clock) {
    case kClockRealtime:
    case kClockRealtimeAlarm:
    case kClockTai:
      return RealtimeNs();
    case kClockRealtimeCoarse:
      return RealtimeNs() / kTickNs * kTickNs;
    case kClockMonotonic:
    case kClockMonotonicRaw:
    case kClockBoottime:
    case kClockBoottimeAlarm:
      return MonotonicNs();  // the machine never suspends: boottime is monotonic
    case kClockMonotonicCoarse:
      return MonotonicNs() / kTickNs * kTickNs;
    case kClockProcessCputime:
      return ProcessCpuTimes(*caller.process()).total();
    case kClockThreadCputime:
      return TaskCpuTimes(caller).total();
    default:
      return Errno::kEINVAL;
  }
}

Result<u64> ClockResolution(proc::Task& caller, int clock) {
  (void)TRY(ClockNow(caller, clock));
  return clock == kClockRealtimeCoarse || clock == kClockMonotonicCoarse ? kTickNs : 1;
}

}  // namespace kernel::time
