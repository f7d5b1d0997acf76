#include "kernel/time/timerfd.h"

#include <hal/interrupts.h>

#include "kernel/fs/anon_inode.h"
#include "kernel/fs/poll_queue.h"
#include "kernel/lib/intrusive_list.h"
#include "kernel/lib/string.h"
#include "kernel/proc/wait_queue.h"
#include "kernel/time/clocks.h"
#include "kernel/time/timer.h"

namespace kernel::time {
namespace {

class TimerFdFile final : public fs::File {
 public:
  TimerFdFile(lib::RefPtr<fs::Inode> inode, int clock, u32 flags)
      : File(fs::FileKind::kTimerFd, fs::Path{}, lib::move(inode),
             fs::o::kRdWr | (flags & fs::o::kNonBlock)),
        clock_(clock) {}
  ~TimerFdFile() override {
    timer_.Cancel();
    SetMightCancel(false);
  }

  Result<usize> Read(const fs::IoBuffer& buf, u64&) override {
    if (buf.size() < sizeof(u64)) return Errno::kEINVAL;
    u64 ticks;
    {
      if (!Ready()) {
        if (nonblocking()) return Errno::kEAGAIN;
        TRY(wait_.WaitInterruptible([&] { return Ready(); }));
      }
      hal::IrqGuard guard;
      if (canceled_) {
        // The wall clock was set under an absolute CANCEL_ON_SET timer [linux timerfd_read].
        canceled_ = false;
        ticks_ = 0;
        return Errno::kECANCELED;
      }
      ticks = ticks_;
      ticks_ = 0;
    }
    TRY(buf.Write(0, &ticks, sizeof(ticks)));
    return sizeof(u64);
  }

  bool seekable() const override { return false; }
  Result<u64> Seek(i64, int) override { return u64{0}; }  // noop_llseek, as Linux
  u32 Poll() override { return Ready() ? fs::ev::kReadable : 0; }
  fs::PollQueue* poll_queue() override { return &poll_; }
  Result<lib::String> Describe() const override {
    return lib::String::TryFrom("anon_inode:[timerfd]");
  }

  Result<Itimerspec> Set(u32 flags, const Itimerspec& v) {
    Itimerspec old = Get();
    timer_.Cancel();
    hal::IrqGuard guard;
    ticks_ = 0;
    canceled_ = false;
    interval_ns_ = ToNs(v.interval);
    const bool realtime = clock_ == kClockRealtime || clock_ == kClockRealtimeAlarm;
    SetMightCancel(realtime && (flags & kTfdTimerAbstime) && (flags & kTfdTimerCancelOnSet));
    const u64 value = ToNs(v.value);
    if (value == 0) return old;
    const u64 now = MonotonicNs();
    u64 deadline;
    if (flags & kTfdTimerAbstime) {
      const i64 offset = realtime ? RealtimeOffsetNs() : 0;
      const i64 mono = static_cast<i64>(value) - offset;
      deadline = mono <= static_cast<i64>(now) ? now : static_cast<u64>(mono);
    } else {
      deadline = SaturatingAdd(now, value);
    }
    timer_.Arm(deadline == 0 ? 1 : deadline, &Fired, this);
    return old;
  }

  Itimerspec Get() const {
    hal::IrqGuard guard;
    Itimerspec r{};
    r.interval = ToTimespec(interval_ns_);
    if (timer_.armed()) {
      const u64 now = MonotonicNs();
      // An expiry due but not yet run by the tick reports the smallest non-zero value, as
      // Linux reports a 1 ns remainder rather than "disarmed".
      r.value = ToTimespec(timer_.deadline() > now ? timer_.deadline() - now : 1);
    }
    return r;
  }

  void ClockWasSet() {
    if (!might_cancel_) return;
    canceled_ = true;
    Wake();
  }

  lib::ListNode cancel_node;

 private:
  bool Ready() const { return ticks_ > 0 || canceled_; }

  void Wake() {
    wait_.WakeAll();
    poll_.Notify(fs::ev::kReadable);
  }

  // The tick: count this expiry and any whole periods the tick was late by, re-arm a
  // periodic timer on its own grid [linux hrtimer_forward_now].
  static void Fired(Timer& timer) {
    auto* self = static_cast<TimerFdFile*>(timer.data());
    u64 expirations = 1;
    if (self->interval_ns_ != 0) {
      const u64 now = MonotonicNs();
      u64 next = timer.deadline();
      if (now >= next) expirations = 1 + (now - next) / self->interval_ns_;
      next = SaturatingAdd(next, expirations * self->interval_ns_);
      self->timer_.Arm(next, &Fired, self);
    }
    self->ticks_ = SaturatingAdd(self->ticks_, expirations);
    self->Wake();
  }

  void SetMightCancel(bool on);

  int clock_;
  u64 ticks_ = 0;  // expirations not yet read
  u64 interval_ns_ = 0;
  bool might_cancel_ = false;
  bool canceled_ = false;
  Timer timer_;
  proc::WaitQueue wait_;
  fs::PollQueue poll_;
};

// Timerfds armed with TFD_TIMER_CANCEL_ON_SET [linux fs/timerfd.c cancel_list]; changed
// with interrupts off.
lib::IntrusiveList<TimerFdFile, &TimerFdFile::cancel_node> g_cancel_list;

void TimerFdFile::SetMightCancel(bool on) {
  hal::IrqGuard guard;
  if (on == might_cancel_) return;
  might_cancel_ = on;
  if (on) {
    g_cancel_list.PushBack(*this);
  } else {
    g_cancel_list.Remove(*this);
  }
}

TimerFdFile* AsTimerFd(fs::File& file) {
  if (file.kind() != fs::FileKind::kTimerFd) return nullptr;
  return static_cast<TimerFdFile*>(&file);
}

bool IsTimerfdClock(int clock) {
  return clock == kClockRealtime || clock == kClockMonotonic || clock == kClockBoottime ||
         clock == kClockRealtimeAlarm || clock == kClockBoottimeAlarm;
}

}  // namespace

Result<lib::RefPtr<fs::File>> CreateTimerFd(int clock, u32 flags, bool privileged) {
  if (!IsTimerfdClock(clock) || (flags & ~(kTfdNonBlock | kTfdCloexec))) return Errno::kEINVAL;
  if ((clock == kClockRealtimeAlarm || clock == kClockBoottimeAlarm) && !privileged)
    return Errno::kEPERM;
  lib::RefPtr<fs::Inode> inode = TRY(fs::CreateAnonInode(0600, 0, 0));
  return fs::MakeFile<TimerFdFile>(lib::move(inode), clock, flags);
}

Result<Itimerspec> SetTimerFd(fs::File& file, u32 flags, const Itimerspec& value) {
  if (flags & ~(kTfdTimerAbstime | kTfdTimerCancelOnSet)) return Errno::kEINVAL;
  if (!IsValid(value.value) || !IsValid(value.interval)) return Errno::kEINVAL;
  TimerFdFile* t = AsTimerFd(file);
  if (t == nullptr) return Errno::kEINVAL;
  return t->Set(flags, value);
}

Result<Itimerspec> GetTimerFd(fs::File& file) {
  TimerFdFile* t = AsTimerFd(file);
  if (t == nullptr) return Errno::kEINVAL;
  return t->Get();
}

void OnRealtimeSet() {
  hal::IrqGuard guard;
  for (TimerFdFile& t : g_cancel_list) t.ClockWasSet();
}

}  // namespace kernel::time
