#include "kernel/signal/send.h"

#include <hal/interrupts.h>

#include "kernel/fs/abi.h"
#include "kernel/proc/process.h"
#include "kernel/proc/scheduler.h"
#include "kernel/tty/session.h"

namespace kernel::signal {
namespace {

ChildStateHook g_child_state_hook = nullptr;

const KSigaction& ActionOf(proc::Task& t, int sig) {
  static const KSigaction kDefault{};
  const lib::RefPtr<Handlers>& h = t.signals().handlers;
  return h ? h->Get(sig) : kDefault;
}

bool Ignored(proc::Task& t, int sig) {
  const lib::RefPtr<Handlers>& h = t.signals().handlers;
  if (!h) return DefaultActionOf(sig) == DefaultAction::kIgnore || sig == kSigCont;
  return h->IsIgnored(sig);
}

// Wakes a thread so it notices a signal: an interruptible sleeper ends its wait with
// ERESTARTSYS; a thread stopped by job control is woken only for SIGKILL and SIGCONT.
void Kick(proc::Task& t, bool wake_stopped) {
  RecalcInterrupt(t);
  if (t.state() == proc::TaskState::kStopped) {
    if (wake_stopped) proc::sched::MakeRunnable(t);
    return;
  }
  if (t.interrupt_pending()) proc::sched::Wake(t);
}

// Stop signals and SIGCONT cancel each other at send time [linux prepare_signal].
void PrepareJobControl(proc::Process& p, int sig) {
  if (kStopSignals.Has(sig)) {
    p.signals().shared.Discard(SigSet::Of(kSigCont));
    p.ForEachThread([](proc::Task& t) { t.signals().pending.Discard(SigSet::Of(kSigCont)); });
    return;
  }
  if (sig != kSigCont) return;
  p.signals().shared.Discard(kStopSignals);
  p.ForEachThread([](proc::Task& t) { t.signals().pending.Discard(kStopSignals); });
  ProcessSignals& ps = p.signals();
  if (!ps.stopped) return;
  ps.stopped = false;
  ps.stop_unreported = false;
  ps.continued_unreported = true;
  p.ForEachThread([](proc::Task& t) {
    t.signals().group_stopped = false;
    if (t.state() == proc::TaskState::kStopped) proc::sched::MakeRunnable(t);
  });
  NotifyParentStopCont(p, kCldContinued, kSigCont);
}

bool Fatal(proc::Task& t, int sig) {
  if (sig == kSigKill) return true;
  if (ActionOf(t, sig).handler != kSigDfl) return false;
  DefaultAction d = DefaultActionOf(sig);
  return d == DefaultAction::kTerminate || d == DefaultAction::kCoreDump;
}

// A fatal signal nobody can stop: the process dies now, every thread with it.
void StartGroupExit(proc::Process& p, int sig) {
  ProcessSignals& ps = p.signals();
  if (ps.group_exit) return;
  ps.group_exit = true;
  bool core = DefaultActionOf(sig) == DefaultAction::kCoreDump && ps.core_rlimit != 0;
  ps.group_exit_status = proc::SignaledStatus(sig, core);
  p.ForEachThread([](proc::Task& t) {
    t.set_killed();
    Kick(t, /*wake_stopped=*/true);
  });
}

// Picks the thread that takes a process-directed signal [linux complete_signal].
proc::Task* ChooseThread(proc::Process& p, int sig) {
  proc::Task* leader = p.leader();
  if (leader != nullptr && leader->state() != proc::TaskState::kDead &&
      !leader->signals().blocked.Has(sig)) {
    return leader;
  }
  proc::Task* chosen = nullptr;
  p.ForEachThread([&](proc::Task& t) {
    if (chosen == nullptr && t.state() != proc::TaskState::kDead && !t.signals().blocked.Has(sig))
      chosen = &t;
  });
  return chosen;
}

Result<void> Send(proc::Process& p, proc::Task* thread, const SigInfo& info, SendMode mode,
                  bool may_lose_info) {
  const int sig = info.signo;
  hal::IrqGuard guard;
  ProcessSignals& ps = p.signals();
  if (ps.group_exit || p.exited()) return Ok();  // already dying: nothing more to do
  proc::Task& probe = *(thread != nullptr ? thread : p.leader());
  if (mode == SendMode::kForced) {
    // A fault signal the thread blocks or ignores would loop forever: take the default.
    TaskSignals& ts = probe.signals();
    bool blocked = ts.blocked.Has(sig);
    if (blocked || ActionOf(probe, sig).handler == kSigIgn) {
      if (ts.handlers && ActionOf(probe, sig).handler == kSigIgn) {
        KSigaction a = ActionOf(probe, sig);
        a.handler = kSigDfl;
        ts.handlers->Set(sig, a);
      }
      ts.blocked.Remove(sig);
    }
  }
  PrepareJobControl(p, sig);
  // Blocked signals are kept even when ignored: the disposition may change before unblocking.
  // So are signals a thread awaits in sigtimedwait (real_blocked) [linux sig_ignored].
  bool blocked =
      thread != nullptr ? thread->signals().blocked.Has(sig) : ChooseThread(p, sig) == nullptr;
  proc::Task* chosen = thread != nullptr ? thread : ChooseThread(p, sig);
  if (chosen != nullptr && chosen->signals().real_blocked.Has(sig)) blocked = true;
  // PID 1 gets only the signals it has handlers for (or blocks), unless the kernel forces
  // one [man 2 kill, NOTES; linux SIGNAL_UNKILLABLE].
  if (p.pid() == 1 && mode != SendMode::kForced && !blocked &&
      ActionOf(probe, sig).handler == kSigDfl) {
    return Ok();
  }
  if (!blocked && Ignored(probe, sig)) return Ok();
  Pending& pending = thread != nullptr ? thread->signals().pending : ps.shared;
  TRY(pending.Add(info, may_lose_info));
  ps.signalfd_poll.Notify(fs::ev::kReadable);
  proc::Task* target = thread != nullptr ? thread : ChooseThread(p, sig);
  if (target == nullptr) return Ok();  // every thread blocks it: it waits in the shared set
  if (!blocked && Fatal(*target, sig) && !kStopSignals.Has(sig)) {
    StartGroupExit(p, sig);
    return Ok();
  }
  Kick(*target, sig == kSigKill || sig == kSigCont);
  return Ok();
}

}  // namespace

SigInfo KernelInfo(int sig) {
  SigInfo info;
  info.signo = sig;
  info.code = kSiKernel;
  return info;
}

SigInfo UserInfo(int sig, int code, const proc::Task& sender) {
  SigInfo info;
  info.signo = sig;
  info.code = code;
  info.f.kill.pid = sender.process() != nullptr ? sender.process()->pid() : 0;
  info.f.kill.uid = sender.credentials().uid;
  return info;
}

Result<void> SendToTask(proc::Task& task, const SigInfo& info, SendMode mode) {
  if (task.process() == nullptr) return Errno::kESRCH;
  return Send(*task.process(), &task, info, mode, /*may_lose_info=*/true);
}

Result<void> SendToProcess(proc::Process& p, const SigInfo& info, SendMode mode,
                           bool may_lose_info) {
  if (p.leader() == nullptr) return Errno::kESRCH;
  return Send(p, nullptr, info, mode, may_lose_info);
}

void SendQueued(proc::Process& p, proc::Task* thread, QueuedSignal& q) {
  const int sig = q.info.signo;
  hal::IrqGuard guard;
  if (p.signals().group_exit || p.exited() || p.leader() == nullptr) return;
  proc::Task& probe = *(thread != nullptr ? thread : p.leader());
  bool blocked =
      thread != nullptr ? thread->signals().blocked.Has(sig) : ChooseThread(p, sig) == nullptr;
  proc::Task* chosen = thread != nullptr ? thread : ChooseThread(p, sig);
  if (chosen != nullptr && chosen->signals().real_blocked.Has(sig)) blocked = true;
  if (!blocked && Ignored(probe, sig)) return;
  Pending& pending = thread != nullptr ? thread->signals().pending : p.signals().shared;
  pending.AddOwned(q);
  p.signals().signalfd_poll.Notify(fs::ev::kReadable);
  proc::Task* target = thread != nullptr ? thread : ChooseThread(p, sig);
  if (target == nullptr) return;
  if (!blocked && Fatal(*target, sig)) {
    StartGroupExit(p, sig);
    return;
  }
  Kick(*target, false);
}

Result<void> SendToGroup(tty::ProcessGroup& g, const SigInfo& info) {
  if (g.empty()) return Errno::kESRCH;
  g.ForEachMember([&](proc::Process& p) { (void)SendToProcess(p, info); });
  return Ok();
}

bool MaySignal(const proc::Task& sender, proc::Process& target, int sig) {
  const proc::Credentials& s = sender.credentials();
  if (s.euid == 0) return true;
  if (target.leader() == nullptr) return false;
  const proc::Credentials& t = target.leader()->credentials();
  if (s.uid == t.uid || s.uid == t.suid || s.euid == t.uid || s.euid == t.suid) return true;
  return sig == kSigCont && sender.process() != nullptr &&
         tty::SidOf(*sender.process()) == tty::SidOf(target);
}

void RecalcInterrupt(proc::Task& t) {
  hal::IrqGuard guard;
  TaskSignals& ts = t.signals();
  bool pending = !(ts.pending.set() & ~ts.blocked).empty();
  if (proc::Process* p = t.process()) {
    ProcessSignals& ps = p->signals();
    pending = pending || !(ps.shared.set() & ~ts.blocked).empty() || ps.group_exit ||
              (ps.stopped && !ts.group_stopped);
  }
  t.set_interrupt_pending(pending);
}

void RecalcInterruptAll(proc::Process& p) {
  p.ForEachThread([](proc::Task& t) { RecalcInterrupt(t); });
}

void SetChildStateHook(ChildStateHook hook) { g_child_state_hook = hook; }

void WakeChildWaiters(proc::Process& parent) {
  if (g_child_state_hook != nullptr) g_child_state_hook(parent);
}

void NotifyParentStopCont(proc::Process& child, int code, int sig) {
  proc::Process* parent = child.parent();
  if (parent == nullptr || parent->leader() == nullptr) return;
  proc::Task& pt = *parent->leader();
  const KSigaction& a = ActionOf(pt, kSigChld);
  if ((a.flags & kSaNoCldStop) == 0) {
    SigInfo info;
    info.signo = kSigChld;
    info.code = code;
    info.f.chld.pid = child.pid();
    info.f.chld.uid = child.leader() != nullptr ? child.leader()->credentials().uid : 0;
    info.f.chld.status = sig;
    (void)SendToProcess(*parent, info);
  }
  WakeChildWaiters(*parent);
}

}  // namespace kernel::signal
