#include "kernel/syscalls/time_ext.h"

#include <hal/interrupts.h>

#include "kernel/lib/alloc.h"
#include "kernel/proc/process.h"
#include "kernel/signal/send.h"
#include "kernel/time/clocks.h"
#include "kernel/time/process_timers.h"

namespace kernel::syscalls {
namespace {

using time::ProcessTimers;

constexpr int kItimerReal = 0, kItimerVirtual = 1, kItimerProf = 2;
constexpr int kRusageSelf = 0, kRusageChildren = -1, kRusageThread = 1;
constexpr int kTimerAbstime = 1;
constexpr u64 kNsPerTick = 10'000'000;  // USER_HZ = 100
constexpr u64 kNsPerUsec = 1000;

// ---- ITIMER_REAL ----

void RealTimerFired(time::Timer& t) {
  auto* p = static_cast<proc::Process*>(t.data());
  (void)signal::SendToProcess(*p, signal::KernelInfo(signal::kSigAlrm));
  const u64 interval = p->timers().real_interval_ns;
  if (interval == 0) return;
  u64 next = t.deadline() + interval;
  const u64 now = time::MonotonicNs();
  if (next <= now) next = now + interval;  // fell behind: itimers do not count overruns
  t.Arm(next, &RealTimerFired, p);
}

// What is left of an armed timer; an expired-but-armed one reports 1 us, as Linux does.
u64 Remaining(u64 deadline, u64 now) {
  if (deadline == 0) return 0;
  return deadline > now ? deadline - now : kNsPerUsec;
}

time::Itimerval Current(proc::Process& p, int which) {
  ProcessTimers& t = p.timers();
  u64 left = 0, interval = 0;
  if (which == kItimerReal) {
    left = t.real.armed() ? Remaining(t.real.deadline(), time::MonotonicNs()) : 0;
    interval = t.real_interval_ns;
  } else {
    time::CpuTimes c = time::ProcessCpuTimes(p);
    bool virt = which == kItimerVirtual;
    left = Remaining(virt ? t.virt_expiry_ns : t.prof_expiry_ns, virt ? c.user_ns : c.total());
    interval = virt ? t.virt_interval_ns : t.prof_interval_ns;
  }
  return time::Itimerval{time::ToTimeval(interval), time::ToTimeval(left)};
}

void Set(proc::Process& p, int which, u64 value_ns, u64 interval_ns) {
  ProcessTimers& t = p.timers();
  if (which == kItimerReal) {
    t.real.Cancel();
    t.real_interval_ns = value_ns != 0 ? interval_ns : 0;
    if (value_ns != 0) {
      t.real.Arm(time::SaturatingAdd(time::MonotonicNs(), value_ns), &RealTimerFired, &p);
    }
    return;
  }
  time::CpuTimes c = time::ProcessCpuTimes(p);
  if (which == kItimerVirtual) {
    t.virt_expiry_ns = value_ns != 0 ? c.user_ns + value_ns : 0;
    t.virt_interval_ns = interval_ns;
  } else {
    t.prof_expiry_ns = value_ns != 0 ? c.total() + value_ns : 0;
    t.prof_interval_ns = interval_ns;
  }
}

time::Timeval ToTv(const time::CpuTimes& c, bool user) {
  return time::ToTimeval(user ? c.user_ns : c.system_ns);
}

}  // namespace

// int setitimer(int which, const struct itimerval *new, struct itimerval *old);
// [man 2 setitimer]. A null `new` disarms, as Linux has always accepted.
Result<void> sys_setitimer(Task& task, int which, UserIn<time::Itimerval> uvalue,
                           UserOut<time::Itimerval> uold) {
  if (which < kItimerReal || which > kItimerProf) return Errno::kEINVAL;
  time::Itimerval v{};
  if (!uvalue.is_null()) v = TRY(uvalue.Read());
  if (!time::IsValid(v.value) || !time::IsValid(v.interval)) return Errno::kEINVAL;
  proc::Process& p = *task.process();
  time::Itimerval old = Current(p, which);
  Set(p, which, time::ToNs(v.value), time::ToNs(v.interval));
  if (!uold.is_null()) TRY(uold.Write(old));
  return Ok();
}

// int getitimer(int which, struct itimerval *curr_value);   [man 2 getitimer]
Result<void> sys_getitimer(Task& task, int which, UserOut<time::Itimerval> uvalue) {
  if (which < kItimerReal || which > kItimerProf) return Errno::kEINVAL;
  return uvalue.Write(Current(*task.process(), which));
}

// unsigned int alarm(unsigned int seconds);   [man 2 alarm]
Result<u32> sys_alarm(Task& task, u32 seconds) {
  proc::Process& p = *task.process();
  time::Itimerval old = Current(p, kItimerReal);
  Set(p, kItimerReal, u64{seconds} * time::kNsPerSec, 0);
  // Rounded to the nearest second, and never 0 while an alarm was pending [linux alarm_setitimer].
  u32 left = static_cast<u32>(old.value.sec);
  if ((left == 0 && old.value.usec != 0) || old.value.usec >= 500000) ++left;
  return left;
}

// clock_t times(struct tms *buf);   [man 2 times]
Result<i64> sys_times(Task& task, UserOut<Tms> ubuf) {
  proc::Process& p = *task.process();
  if (!ubuf.is_null()) {
    time::CpuTimes self = time::ProcessCpuTimes(p);
    const time::CpuTimes& kids = p.timers().children;
    Tms t{
        static_cast<i64>(self.user_ns / kNsPerTick), static_cast<i64>(self.system_ns / kNsPerTick),
        static_cast<i64>(kids.user_ns / kNsPerTick), static_cast<i64>(kids.system_ns / kNsPerTick)};
    TRY(ubuf.Write(t));
  }
  return static_cast<i64>(time::MonotonicNs() / kNsPerTick);
}

// int getrusage(int who, struct rusage *usage);   [man 2 getrusage]
Result<void> sys_getrusage(Task& task, int who, UserOut<Rusage> uusage) {
  time::CpuTimes c;
  switch (who) {
    case kRusageSelf:
      c = time::ProcessCpuTimes(*task.process());
      break;
    case kRusageChildren:
      c = task.process()->timers().children;
      break;
    case kRusageThread:
      c = time::TaskCpuTimes(task);
      break;
    default:
      return Errno::kEINVAL;
  }
  Rusage r{};
  r.utime = ToTv(c, true);
  r.stime = ToTv(c, false);
  return uusage.Write(r);
}

// int clock_settime(clockid_t clockid, const struct timespec *tp);   [man 2 clock_settime]
Result<void> sys_clock_settime(Task& task, int clock, UserIn<time::Timespec> utp) {
  time::Timespec ts = TRY(utp.Read());
  if (clock != time::kClockRealtime) {
    (void)TRY(time::ClockNow(task, clock));  // EINVAL for clocks that do not exist
    return Errno::kEINVAL;                   // ... and for those that cannot be set
  }
  if (!time::IsValid(ts)) return Errno::kEINVAL;
  if (task.credentials().euid != 0) return Errno::kEPERM;
  time::SetRealtimeNs(time::ToNs(ts));
  return Ok();
}

// int settimeofday(const struct timeval *tv, const struct timezone *tz);
// [man 2 settimeofday]. The time zone is accepted and ignored (the kernel keeps UTC).
Result<void> sys_settimeofday(Task& task, UserIn<time::Timeval> utv, UserIn<u8>) {
  if (utv.is_null())
    return task.credentials().euid == 0 ? Result<void>(Ok()) : Result<void>(Errno::kEPERM);
  time::Timeval tv = TRY(utv.Read());
  if (!time::IsValid(tv)) return Errno::kEINVAL;
  if (task.credentials().euid != 0) return Errno::kEPERM;
  time::SetRealtimeNs(time::ToNs(tv));
  return Ok();
}

// ---- POSIX timers [man 2 timer_create] ----

namespace {

void PosixTimerDequeued(signal::QueuedSignal& q) {
  auto* t = static_cast<time::PosixTimer*>(q.owner);
  t->last_overrun = t->overrun;
  t->overrun = 0;
}

void PosixTimerFired(time::Timer& timer) {
  auto* t = static_cast<time::PosixTimer*>(timer.data());
  if (t->interval_ns != 0) {
    u64 next = timer.deadline() + t->interval_ns;
    const u64 now = time::MonotonicNs();
    if (next <= now) {
      u64 missed = (now - next) / t->interval_ns + 1;
      t->overrun += missed;
      next += missed * t->interval_ns;
    }
    timer.Arm(next, &PosixTimerFired, t);
  }
  if (t->notify == time::kSigevNone) return;
  if (t->queued.node.linked()) {
    ++t->overrun;  // still pending: one more expiration folded into si_overrun
    t->queued.info.f.timer.overrun =
        static_cast<i32>(t->overrun > 0x7fffffff ? 0x7fffffff : t->overrun);
    return;
  }
  signal::SigInfo& info = t->queued.info;
  info = signal::SigInfo{};
  info.signo = t->signo;
  info.code = signal::kSiTimer;
  info.f.timer.tid = t->id;
  info.f.timer.overrun = static_cast<i32>(t->overrun);
  info.f.timer.value = t->value;
  proc::Task* thread = nullptr;
  if (t->notify == time::kSigevThreadId) {
    t->owner->ForEachThread([&](proc::Task& th) {
      if (th.tid() == t->tid) thread = &th;
    });
  }
  signal::SendQueued(*t->owner, thread, t->queued);
}

Result<time::PosixTimer*> Lookup(Task& task, int id) {
  if (id < 0 || id >= time::kMaxPosixTimers) return Errno::kEINVAL;
  time::PosixTimer* t = task.process()->timers().posix[id];
  if (t == nullptr) return Errno::kEINVAL;
  return t;
}

time::Itimerspec TimerValue(time::PosixTimer& t) {
  u64 left = t.timer.armed() ? Remaining(t.timer.deadline(), time::MonotonicNs()) : 0;
  return time::Itimerspec{time::ToTimespec(t.interval_ns), time::ToTimespec(left)};
}

}  // namespace

// int timer_create(clockid_t clockid, struct sigevent *sevp, timer_t *timerid);
Result<void> sys_timer_create(Task& task, int clock, UserIn<SigEvent> usev, UserOut<i32> uid) {
  if (clock != time::kClockRealtime && clock != time::kClockMonotonic &&
      clock != time::kClockBoottime) {
    // TODO(#8): timers on CPU-time clocks and the *_ALARM clocks.
    return clock < 0 || clock == time::kClockProcessCputime || clock == time::kClockThreadCputime
               ? kENOTSUP
               : Errno::kEINVAL;
  }
  proc::Process& p = *task.process();
  int id = 0;
  while (id < time::kMaxPosixTimers && p.timers().posix[id] != nullptr) ++id;
  if (id == time::kMaxPosixTimers) return Errno::kEAGAIN;
  SigEvent ev{static_cast<u64>(id), signal::kSigAlrm, time::kSigevSignal, 0, {}};
  if (!usev.is_null()) ev = TRY(usev.Read());
  const int mode = ev.notify & ~time::kSigevThreadId;
  if (ev.notify != time::kSigevNone) {
    if (mode != time::kSigevSignal && mode != time::kSigevThread) return Errno::kEINVAL;
    if (!signal::IsValidSignal(ev.signo)) return Errno::kEINVAL;
  }
  if ((ev.notify & time::kSigevThreadId) != 0) {
    bool ours = false;
    p.ForEachThread([&](proc::Task& th) { ours = ours || th.tid() == ev.tid; });
    if (!ours) return Errno::kEINVAL;
  }
  time::PosixTimer* t = TRY(lib::TryNew<time::PosixTimer>());
  t->owner = &p;
  t->id = id;
  t->clock = clock;
  t->notify = ev.notify == time::kSigevNone        ? time::kSigevNone
              : (ev.notify & time::kSigevThreadId) ? time::kSigevThreadId
                                                   : time::kSigevSignal;
  t->signo = ev.signo;
  t->tid = ev.tid;
  t->value = ev.value;
  t->queued.owner = t;
  t->queued.on_dequeue = &PosixTimerDequeued;
  if (auto r = uid.Write(id); r.is_error()) {
    lib::Delete(t);
    return r.error();
  }
  p.timers().posix[id] = t;
  return Ok();
}

// int timer_settime(timer_t timerid, int flags, const struct itimerspec *new_value,
//                   struct itimerspec *old_value);   [man 2 timer_settime]
Result<void> sys_timer_settime(Task& task, int id, int flags, UserIn<time::Itimerspec> unew,
                               UserOut<time::Itimerspec> uold) {
  time::PosixTimer* t = TRY(Lookup(task, id));
  if (unew.is_null()) return Errno::kEINVAL;
  time::Itimerspec v = TRY(unew.Read());
  if (!time::IsValid(v.value) || !time::IsValid(v.interval)) return Errno::kEINVAL;
  time::Itimerspec old = TimerValue(*t);
  t->timer.Cancel();
  t->interval_ns = time::ToNs(v.interval);
  t->overrun = 0;
  const u64 value = time::ToNs(v.value);
  if (value != 0) {
    u64 deadline;
    const u64 now = time::MonotonicNs();
    if ((flags & kTimerAbstime) != 0) {
      i64 offset = t->clock == time::kClockRealtime ? time::RealtimeOffsetNs() : 0;
      i64 mono = static_cast<i64>(value) - offset;
      deadline = mono <= static_cast<i64>(now) ? now : static_cast<u64>(mono);
    } else {
      deadline = time::SaturatingAdd(now, value);
    }
    t->timer.Arm(deadline == 0 ? 1 : deadline, &PosixTimerFired, t);
  } else {
    t->interval_ns = 0;
  }
  if (!uold.is_null()) TRY(uold.Write(old));
  return Ok();
}

// int timer_gettime(timer_t timerid, struct itimerspec *curr_value);
Result<void> sys_timer_gettime(Task& task, int id, UserOut<time::Itimerspec> uvalue) {
  time::PosixTimer* t = TRY(Lookup(task, id));
  return uvalue.Write(TimerValue(*t));
}

// int timer_getoverrun(timer_t timerid);   [man 2 timer_getoverrun]
Result<int> sys_timer_getoverrun(Task& task, int id) {
  time::PosixTimer* t = TRY(Lookup(task, id));
  return static_cast<int>(t->last_overrun > 0x7fffffff ? 0x7fffffff : t->last_overrun);
}

// int timer_delete(timer_t timerid);   [man 2 timer_delete]
Result<void> sys_timer_delete(Task& task, int id) {
  time::PosixTimer* t = TRY(Lookup(task, id));
  proc::Process& p = *task.process();
  t->timer.Cancel();
  {
    hal::IrqGuard guard;
    // Take our preallocated signal back out of whichever pending set holds it.
    p.signals().shared.RemoveOwned(t->queued);
    p.ForEachThread([&](proc::Task& th) { th.signals().pending.RemoveOwned(t->queued); });
  }
  p.timers().posix[id] = nullptr;
  lib::Delete(t);
  return Ok();
}

}  // namespace kernel::syscalls
