#include "kernel/signal/signalfd.h"

#include <hal/interrupts.h>

#include "kernel/fs/anon_inode.h"
#include "kernel/fs/poll_queue.h"
#include "kernel/lib/string.h"
#include "kernel/proc/process.h"
#include "kernel/proc/scheduler.h"
#include "kernel/proc/task.h"
#include "kernel/proc/wait_queue.h"
#include "kernel/signal/send.h"

namespace kernel::signal {
namespace {

// How a siginfo's union is laid out [linux kernel/signal.c siginfo_layout].
enum class Layout : u8 { kKill, kTimer, kPoll, kFault, kFaultMceErr, kChld, kRt, kSys };

// The highest si_code with a signal-specific layout, per signal [linux siginfo.h NSIG*].
constexpr int kNSigIll = 11, kNSigFpe = 15, kNSigSegv = 10, kNSigBus = 5, kNSigTrap = 6,
              kNSigChld = 6, kNSigPoll = 6, kNSigSys = 2;
constexpr int kBusMceErrAr = 4, kBusMceErrAo = 5;

Layout LayoutOf(int sig, int code) {
  if (code > kSiUser && code < kSiKernel) {
    switch (sig) {
      case kSigIll:
        if (code <= kNSigIll) return Layout::kFault;
        break;
      case kSigFpe:
        if (code <= kNSigFpe) return Layout::kFault;
        break;
      case kSigSegv:
        if (code <= kNSigSegv) return Layout::kFault;
        break;
      case kSigTrap:
        if (code <= kNSigTrap) return Layout::kFault;
        break;
      case kSigBus:
        if (code == kBusMceErrAr || code == kBusMceErrAo) return Layout::kFaultMceErr;
        if (code <= kNSigBus) return Layout::kFault;
        break;
      case kSigChld:
        if (code <= kNSigChld) return Layout::kChld;
        break;
      case kSigIo:
        if (code <= kNSigPoll) return Layout::kPoll;
        break;
      case kSigSys:
        if (code <= kNSigSys) return Layout::kSys;
        break;
      default:
        break;
    }
    return code <= kNSigPoll ? Layout::kPoll : Layout::kKill;
  }
  if (code == kSiTimer) return Layout::kTimer;
  if (code == kSiSigio) return Layout::kPoll;
  if (code < 0) return Layout::kRt;
  return Layout::kKill;
}

// A file whose readiness depends on who asks: Poll() and Read() look at the current task.
class SignalFdFile final : public fs::File {
 public:
  SignalFdFile(lib::RefPtr<fs::Inode> inode, SigSet mask, u32 flags)
      : File(fs::FileKind::kSignalFd, fs::Path{}, lib::move(inode),
             fs::o::kRdWr | (flags & fs::o::kNonBlock)),
        mask_(mask) {}

  void SetMask(SigSet mask) {
    mask_ = mask;
    // Pollers re-evaluate with the new mask [linux do_signalfd4 wake_up(signalfd_wqh)].
    if (proc::Task* self = proc::sched::Current(); self != nullptr && self->process() != nullptr)
      self->process()->signals().signalfd_poll.Notify(fs::ev::kReadable);
  }
  SigSet mask() const { return mask_; }

  Result<usize> Read(const fs::IoBuffer& buf, u64&) override {
    const usize count = buf.size() / sizeof(SignalfdSiginfo);
    if (count == 0) return Errno::kEINVAL;
    proc::Task* self = proc::sched::Current();
    if (self == nullptr || self->process() == nullptr) return Errno::kEINVAL;
    usize done = 0;
    for (; done < count; ++done) {
      SigInfo info;
      Result<void> got = Dequeue(*self, /*may_block=*/done == 0 && !nonblocking(), info);
      if (got.is_error()) {
        if (done > 0) break;
        return got.error();
      }
      SignalfdSiginfo record = ToSignalfdSiginfo(info);
      Result<void> copied = buf.Write(done * sizeof(record), &record, sizeof(record));
      // The signal is consumed even when the copy fails, as in Linux.
      if (copied.is_error()) {
        if (done > 0) break;
        return copied.error();
      }
    }
    return done * sizeof(SignalfdSiginfo);
  }

  bool seekable() const override { return false; }
  // noop_llseek: the position stays 0 and lseek succeeds [linux signalfd_fops].
  Result<u64> Seek(i64, int) override { return u64{0}; }

  u32 Poll() override {
    proc::Task* self = proc::sched::Current();
    if (self == nullptr || self->process() == nullptr) return 0;
    return Ready(*self) ? fs::ev::kReadable : 0;
  }
  // Subscribing ties the poller to the current process's signals, like Linux's poll_wait on
  // current->sighand->signalfd_wqh (an epoll set keeps watching the adder's process).
  fs::PollQueue* poll_queue() override {
    proc::Task* self = proc::sched::Current();
    if (self == nullptr || self->process() == nullptr) return nullptr;
    return &self->process()->signals().signalfd_poll;
  }
  Result<lib::String> Describe() const override {
    return lib::String::TryFrom("anon_inode:[signalfd]");
  }

 private:
  bool Ready(proc::Task& t) const {
    return !((t.signals().pending.set() | t.process()->signals().shared.set()) & mask_).empty();
  }

  // Takes the next signal in the mask (thread-directed first) [linux dequeue_signal].
  Result<void> Dequeue(proc::Task& t, bool may_block, SigInfo& out) {
    for (;;) {
      if (!Ready(t)) {
        if (!may_block) return Errno::kEAGAIN;
        TRY(WaitReady(t));
      }
      hal::IrqGuard guard;
      const SigSet skip = ~mask_;
      int sig = t.signals().pending.Next(skip);
      if (sig != 0) {
        out = t.signals().pending.Take(sig);
      } else {
        Pending& shared = t.process()->signals().shared;
        sig = shared.Next(skip);
        if (sig == 0) continue;  // another thread took it first: wait again (or EAGAIN)
        out = shared.Take(sig);
      }
      RecalcInterrupt(t);
      return Ok();
    }
  }

  // Sleeps until a signal in the mask is pending for `t`; ERESTARTSYS on a deliverable one.
  Result<void> WaitReady(proc::Task& t) {
    proc::WaitQueue wait;
    fs::PollQueue::Entry entry;
    entry.callback = [](fs::PollQueue::Entry& e, u32) {
      static_cast<proc::WaitQueue*>(e.data)->WakeAll();
    };
    entry.data = &wait;
    t.process()->signals().signalfd_poll.Add(entry);
    Result<void> r = wait.WaitInterruptible([&] { return Ready(t); });
    fs::PollQueue::Remove(entry);
    return r;
  }

  SigSet mask_;
};

SignalFdFile* AsSignalFd(fs::File& file) {
  if (file.kind() != fs::FileKind::kSignalFd) return nullptr;
  return static_cast<SignalFdFile*>(&file);
}

}  // namespace

SignalfdSiginfo ToSignalfdSiginfo(const SigInfo& info) {
  SignalfdSiginfo r = {};
  r.signo = static_cast<u32>(info.signo);
  r.errno_value = info.errno_value;
  r.code = info.code;
  const SigInfo::Fields& f = info.f;
  switch (LayoutOf(info.signo, info.code)) {
    case Layout::kKill:
      r.pid = static_cast<u32>(f.kill.pid);
      r.uid = f.kill.uid;
      break;
    case Layout::kTimer:
      r.tid = static_cast<u32>(f.timer.tid);
      r.overrun = static_cast<u32>(f.timer.overrun);
      r.ptr = f.timer.value;
      r.int_value = static_cast<i32>(f.timer.value);
      break;
    case Layout::kPoll:
      r.band = static_cast<u32>(f.poll.band);
      r.fd = f.poll.fd;
      break;
    case Layout::kFault:
      r.addr = f.fault.addr;
      break;
    case Layout::kFaultMceErr:
      r.addr = f.fault.addr;
      r.addr_lsb = static_cast<u16>(f.fault.addr_lsb);
      break;
    case Layout::kChld:
      r.pid = static_cast<u32>(f.chld.pid);
      r.uid = f.chld.uid;
      r.status = f.chld.status;
      r.utime = static_cast<u64>(f.chld.utime);
      r.stime = static_cast<u64>(f.chld.stime);
      break;
    case Layout::kRt:
      r.pid = static_cast<u32>(f.kill.pid);
      r.uid = f.kill.uid;
      r.ptr = f.kill.value;
      r.int_value = static_cast<i32>(f.kill.value);
      break;
    case Layout::kSys: {
      // si_call_addr, si_syscall, si_arch at the start of the union.
      u64 call_addr;
      i32 syscall;
      u32 arch;
      __builtin_memcpy(&call_addr, f.raw, 8);
      __builtin_memcpy(&syscall, f.raw + 8, 4);
      __builtin_memcpy(&arch, f.raw + 12, 4);
      r.call_addr = call_addr;
      r.syscall = syscall;
      r.arch = arch;
      break;
    }
  }
  return r;
}

Result<lib::RefPtr<fs::File>> CreateSignalFd(SigSet mask, u32 flags) {
  if (flags & ~(kSfdNonBlock | kSfdCloexec)) return Errno::kEINVAL;
  lib::RefPtr<fs::Inode> inode = TRY(fs::CreateAnonInode(0600, 0, 0));
  return fs::MakeFile<SignalFdFile>(lib::move(inode), mask & ~kUnblockable, flags);
}

Result<void> UpdateSignalFd(fs::File& file, SigSet mask) {
  SignalFdFile* s = AsSignalFd(file);
  if (s == nullptr) return Errno::kEINVAL;
  s->SetMask(mask & ~kUnblockable);
  return Ok();
}

Result<SigSet> SignalFdMask(fs::File& file) {
  SignalFdFile* s = AsSignalFd(file);
  if (s == nullptr) return Errno::kEINVAL;
  return s->mask();
}

}  // namespace kernel::signal
