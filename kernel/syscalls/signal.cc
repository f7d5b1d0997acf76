#include "kernel/syscalls/signal.h"

#include <hal/interrupts.h>

#include "kernel/proc/process.h"
#include "kernel/proc/wait_queue.h"
#include "kernel/signal/deliver.h"
#include "kernel/signal/send.h"
#include "kernel/tty/session.h"

namespace kernel::syscalls {
namespace {

using signal::SigSet;

constexpr usize kSigSetSize = 8;

proc::Task* FindTask(int tid) {
  proc::Task* found = nullptr;
  tty::ForEachProcess([&](proc::Process& p) {
    p.ForEachThread([&](proc::Task& t) {
      if (t.tid() == tid && t.state() != proc::TaskState::kDead) found = &t;
    });
  });
  return found;
}

Result<lib::RefPtr<signal::Handlers>> HandlersOf(Task& task) {
  lib::RefPtr<signal::Handlers>& h = task.signals().handlers;
  if (!h) h = TRY(signal::Handlers::Create());
  return h;
}

// Setting SIG_IGN (or SIG_DFL where the default ignores) discards what is pending
// [POSIX sigaction, "Signal Actions"; linux do_sigaction].
void DiscardPending(proc::Process& p, int sig) {
  hal::IrqGuard guard;
  p.signals().shared.Discard(SigSet::Of(sig));
  p.ForEachThread([&](proc::Task& t) {
    t.signals().pending.Discard(SigSet::Of(sig));
    signal::RecalcInterrupt(t);
  });
}

void SetBlocked(Task& task, SigSet mask) {
  hal::IrqGuard guard;
  task.signals().blocked = mask & ~signal::kUnblockable;
  signal::RecalcInterrupt(task);
}

Result<void> SendOne(Task& task, proc::Process& target, const SigInfo& info) {
  if (!signal::MaySignal(task, target, info.signo)) return Errno::kEPERM;
  if (info.signo == 0) return Ok();
  return signal::SendToProcess(target, info);
}

Result<void> TaskKill(Task& task, int tgid, int tid, int sig) {
  if (tid <= 0 || sig < 0 || sig > signal::kNumSignals) return Errno::kEINVAL;
  proc::Task* target = FindTask(tid);
  if (target == nullptr || (tgid > 0 && target->process()->pid() != tgid)) return Errno::kESRCH;
  if (!signal::MaySignal(task, *target->process(), sig)) return Errno::kEPERM;
  if (sig == 0) return Ok();
  return signal::SendToTask(*target, signal::UserInfo(sig, signal::kSiTkill, task));
}

// Sleeps until a signal interrupts (sigsuspend, pause).
void SleepUntilSignal() {
  proc::WaitQueue nobody;
  (void)nobody.WaitInterruptible([] { return false; });
}

}  // namespace

// int rt_sigaction(int sig, const struct sigaction *act, struct sigaction *oact,
//                  size_t sigsetsize);   [man 2 sigaction]
Result<void> sys_rt_sigaction(Task& task, int sig, UserIn<KSigaction> act, UserOut<KSigaction> oact,
                              usize sigsetsize) {
  if (sigsetsize != kSigSetSize) return Errno::kEINVAL;
  if (!signal::IsValidSignal(sig)) return Errno::kEINVAL;
  if (!act.is_null() && signal::kUnblockable.Has(sig)) return Errno::kEINVAL;
  lib::RefPtr<signal::Handlers> h = TRY(HandlersOf(task));
  KSigaction old = h->Get(sig);
  old.flags &= signal::kSaKnownFlags;
  if (!act.is_null()) {
    KSigaction a = TRY(act.Read());
    a.flags &= signal::kSaKnownFlags;
    a.mask &= ~signal::kUnblockable.bits();
    h->Set(sig, a);
    if (h->IsIgnored(sig)) DiscardPending(*task.process(), sig);
  }
  if (!oact.is_null()) TRY(oact.Write(old));
  return Ok();
}

// int rt_sigprocmask(int how, const sigset_t *set, sigset_t *oldset, size_t sigsetsize);
// [man 2 sigprocmask]
Result<void> sys_rt_sigprocmask(Task& task, int how, UserIn<u64> set, UserOut<u64> oset,
                                usize sigsetsize) {
  if (sigsetsize != kSigSetSize) return Errno::kEINVAL;
  const SigSet old = task.signals().blocked;
  if (!set.is_null()) {
    SigSet s = SigSet(TRY(set.Read()));
    switch (how) {
      case signal::kSigBlock:
        SetBlocked(task, old | s);
        break;
      case signal::kSigUnblock:
        SetBlocked(task, old & ~s);
        break;
      case signal::kSigSetMask:
        SetBlocked(task, s);
        break;
      default:
        return Errno::kEINVAL;
    }
  }
  if (!oset.is_null()) TRY(oset.Write(old.bits()));
  return Ok();
}

// int rt_sigpending(sigset_t *set, size_t sigsetsize);   [man 2 sigpending]
Result<void> sys_rt_sigpending(Task& task, UserOut<u64> set, usize sigsetsize) {
  if (sigsetsize > kSigSetSize) return Errno::kEINVAL;
  SigSet pending = task.signals().pending.set() | task.process()->signals().shared.set();
  u64 bits = (pending & task.signals().blocked).bits();
  return set.WriteBytes(&bits, sigsetsize);
}

// int rt_sigsuspend(const sigset_t *mask, size_t sigsetsize);   [man 2 sigsuspend]
Result<void> sys_rt_sigsuspend(Task& task, UserIn<u64> mask, usize sigsetsize) {
  if (sigsetsize != kSigSetSize) return Errno::kEINVAL;
  SigSet m = SigSet(TRY(mask.Read()));
  signal::TaskSignals& ts = task.signals();
  ts.saved_mask = ts.blocked;
  ts.restore_mask = true;
  SetBlocked(task, m);
  SleepUntilSignal();
  // The handler's frame saves the old mask and sigreturn brings it back; with no handler
  // DeliverPending restores it. Either way the call "returns" EINTR or is restarted.
  return Errno::kERESTARTNOHAND;
}

// int rt_sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout,
//                     size_t sigsetsize);   [man 2 sigtimedwait]
Result<int> sys_rt_sigtimedwait(Task& task, UserIn<u64> set, UserOut<SigInfo> uinfo,
                                UserIn<time::Timespec> timeout, usize sigsetsize) {
  if (sigsetsize != kSigSetSize) return Errno::kEINVAL;
  const SigSet wanted = SigSet(TRY(set.Read())) & ~signal::kUnblockable;
  u64 deadline = 0;
  if (!timeout.is_null()) {
    time::Timespec ts = TRY(timeout.Read());
    if (!time::IsValid(ts)) return Errno::kEINVAL;
    deadline = time::SaturatingAdd(time::MonotonicNs(), time::ToNs(ts));
    if (deadline == 0) deadline = 1;
  }
  signal::TaskSignals& s = task.signals();
  proc::Process& p = *task.process();
  auto ready = [&] { return !((s.pending.set() | p.signals().shared.set()) & wanted).empty(); };
  if (!ready()) {
    // The awaited signals are unblocked while we sleep, so their arrival wakes us
    // [linux do_sigtimedwait, real_blocked].
    const SigSet blocked = s.blocked;
    s.real_blocked = blocked;
    SetBlocked(task, blocked & ~wanted);
    proc::WaitQueue nobody;
    Result<void> r = deadline != 0 ? nobody.WaitInterruptibleUntil(ready, deadline)
                                   : nobody.WaitInterruptible(ready);
    SetBlocked(task, blocked);
    s.real_blocked = SigSet();
    if (!ready()) {
      if (r.is_error() && r.error() == Errno::kETIMEDOUT) return Errno::kEAGAIN;
      return Errno::kEINTR;
    }
  }
  SigInfo info;
  int sig;
  {
    hal::IrqGuard guard;
    SigSet not_wanted = ~wanted;
    sig = s.pending.Next(not_wanted);
    if (sig != 0) {
      info = s.pending.Take(sig);
    } else {
      sig = p.signals().shared.Next(not_wanted);
      info = p.signals().shared.Take(sig);
    }
    signal::RecalcInterrupt(task);
  }
  if (!uinfo.is_null()) TRY(uinfo.Write(info));
  return sig;
}

namespace {
Result<SigInfo> ReadQueueInfo(Task& task, int target_pid, int sig, UserIn<SigInfo> uinfo) {
  SigInfo info = TRY(uinfo.Read());
  // Only the kernel may claim SI_USER or a kernel code, and only a process itself may claim
  // SI_TKILL for itself [man 2 rt_sigqueueinfo, EPERM].
  if ((info.code >= 0 || info.code == signal::kSiTkill) && task.process()->pid() != target_pid) {
    return Errno::kEPERM;
  }
  info.signo = sig;
  return info;
}
}  // namespace

// int rt_sigqueueinfo(pid_t tgid, int sig, siginfo_t *info);   [man 2 rt_sigqueueinfo]
Result<void> sys_rt_sigqueueinfo(Task& task, int pid, int sig, UserIn<SigInfo> uinfo) {
  if (sig < 0 || sig > signal::kNumSignals) return Errno::kEINVAL;
  SigInfo info = TRY(ReadQueueInfo(task, pid, sig, uinfo));
  proc::Process* target = pid > 0 ? tty::FindProcess(pid) : nullptr;
  if (target == nullptr) return Errno::kESRCH;
  if (!signal::MaySignal(task, *target, sig)) return Errno::kEPERM;
  if (sig == 0) return Ok();
  return signal::SendToProcess(*target, info, signal::SendMode::kNormal, /*may_lose_info=*/false);
}

// int rt_tgsigqueueinfo(pid_t tgid, pid_t tid, int sig, siginfo_t *info);
Result<void> sys_rt_tgsigqueueinfo(Task& task, int tgid, int tid, int sig, UserIn<SigInfo> uinfo) {
  if (tgid <= 0 || tid <= 0 || sig < 0 || sig > signal::kNumSignals) return Errno::kEINVAL;
  SigInfo info = TRY(ReadQueueInfo(task, tgid, sig, uinfo));
  proc::Task* target = FindTask(tid);
  if (target == nullptr || target->process()->pid() != tgid) return Errno::kESRCH;
  if (!signal::MaySignal(task, *target->process(), sig)) return Errno::kEPERM;
  if (sig == 0) return Ok();
  return signal::SendToTask(*target, info);
}

// int sigaltstack(const stack_t *ss, stack_t *old_ss);   [man 2 sigaltstack]
Result<void> sys_sigaltstack(Task& task, UserIn<StackT> uss, UserOut<StackT> uoss) {
  signal::AltStack& alt = task.signals().altstack;
  const u64 rsp = task.user_context().regs.rsp;
  StackT old{alt.sp, alt.ReportedFlags(rsp), 0, alt.size};
  if (!uss.is_null()) {
    StackT ss = TRY(uss.Read());
    if (alt.Contains(rsp)) return Errno::kEPERM;
    const i32 mode = ss.flags & ~static_cast<i32>(signal::kSsAutoDisarm);
    if (mode != 0 && mode != signal::kSsDisable && mode != signal::kSsOnStack) {
      return Errno::kEINVAL;
    }
    if (mode == signal::kSsDisable) {
      alt = signal::AltStack{0, 0, static_cast<u32>(ss.flags)};
    } else {
      if (ss.size < signal::kMinSigStkSz) return Errno::kENOMEM;
      alt = signal::AltStack{ss.sp, ss.size, static_cast<u32>(ss.flags) & signal::kSsAutoDisarm};
    }
  }
  if (!uoss.is_null()) TRY(uoss.Write(old));
  return Ok();
}

// int kill(pid_t pid, int sig);   [man 2 kill]
Result<void> sys_kill(Task& task, int pid, int sig) {
  if (sig < 0 || sig > signal::kNumSignals) return Errno::kEINVAL;
  const SigInfo info = signal::UserInfo(sig, signal::kSiUser, task);
  proc::Process& self = *task.process();
  if (pid > 0) {
    proc::Process* target = tty::FindProcess(pid);
    if (target == nullptr) return Errno::kESRCH;
    return SendOne(task, *target, info);
  }
  if (pid == -1) {
    // Every process we may signal except PID 1 and ourselves [man 2 kill].
    int count = 0;
    Result<void> last = Ok();
    tty::ForEachProcess([&](proc::Process& p) {
      if (p.pid() == 1 || &p == &self) return;
      Result<void> r = SendOne(task, p, info);
      ++count;
      if (r.is_error() && r.error() != Errno::kEPERM) last = r;
    });
    if (count == 0) return Errno::kESRCH;
    return last;
  }
  if (pid == i32{-2147483647 - 1}) return Errno::kESRCH;  // -INT_MIN has no group
  tty::ProcessGroup* g = pid == 0 ? self.job().group.get() : tty::FindGroup(-pid);
  if (g == nullptr || g->empty()) return Errno::kESRCH;
  bool any = false;
  Result<void> result = Errno::kEPERM;
  g->ForEachMember([&](proc::Process& p) {
    Result<void> r = SendOne(task, p, info);
    if (r.ok()) {
      any = true;
    } else if (!any) {
      result = r;
    }
  });
  return any ? Ok() : result;
}

// int tkill(pid_t tid, int sig);   [man 2 tkill]
Result<void> sys_tkill(Task& task, int tid, int sig) { return TaskKill(task, 0, tid, sig); }

// int tgkill(pid_t tgid, pid_t tid, int sig);   [man 2 tgkill]
Result<void> sys_tgkill(Task& task, int tgid, int tid, int sig) {
  if (tgid <= 0) return Errno::kEINVAL;
  return TaskKill(task, tgid, tid, sig);
}

// int rt_sigreturn(void);   [man 2 sigreturn]
Result<i64> sys_rt_sigreturn(Task& task) { return signal::SigReturn(task); }

// long restart_syscall(void);   [man 2 restart_syscall]
Result<i64> sys_restart_syscall(Task& task) {
  signal::RestartBlock& b = task.signals().restart;
  auto fn = b.fn;
  b.fn = nullptr;
  if (fn == nullptr) return Errno::kEINTR;
  return fn(task, b);
}

// int pause(void);   [man 2 pause]
Result<void> sys_pause(Task&) {
  SleepUntilSignal();
  return Errno::kERESTARTNOHAND;
}

}  // namespace kernel::syscalls
