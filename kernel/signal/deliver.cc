#include "kernel/signal/deliver.h"

#include <hal/interrupts.h>

#include "kernel/mm/user_ptr.h"
#include "kernel/proc/exit.h"
#include "kernel/proc/process.h"
#include "kernel/proc/scheduler.h"
#include "kernel/signal/frame.h"
#include "kernel/signal/restart.h"
#include "kernel/signal/send.h"

namespace kernel::signal {
namespace {

constexpr u64 kCloneVm = 0x100, kCloneSighand = 0x800, kCloneVfork = 0x4000, kCloneThread = 0x10000;

// Takes the next deliverable signal: the thread's own first, then the process's
// [linux dequeue_signal].
int Dequeue(proc::Task& t, SigInfo& info) {
  hal::IrqGuard guard;
  TaskSignals& ts = t.signals();
  int sig = ts.pending.Next(ts.blocked);
  if (sig != 0) {
    info = ts.pending.Take(sig);
  } else if (proc::Process* p = t.process()) {
    sig = p->signals().shared.Next(ts.blocked);
    if (sig != 0) info = p->signals().shared.Take(sig);
  }
  RecalcInterrupt(t);
  return sig;
}

[[noreturn]] void DieOf(proc::Task& t, int status) { proc::Process::ExitGroup(t, status); }

// This thread takes part in a group stop: it sleeps until SIGCONT or SIGKILL.
void StopSelf(proc::Task& t) {
  {
    hal::IrqGuard guard;
    proc::Process* p = t.process();
    if (!p->signals().stopped || t.killed()) return;
    t.signals().group_stopped = true;
    t.set_state(proc::TaskState::kStopped);
    RecalcInterrupt(t);
  }
  proc::sched::Block();
}

// The default action "stop" for `sig` [linux do_signal_stop]. A stop from the terminal
// (SIGTSTP, SIGTTIN, SIGTTOU) to an orphaned process group is discarded.
void BeginGroupStop(proc::Task& t, int sig) {
  proc::Process& p = *t.process();
  if (sig != kSigStop && p.job().group && p.job().group->IsOrphaned()) return;
  {
    hal::IrqGuard guard;
    ProcessSignals& ps = p.signals();
    if (ps.group_exit) return;
    ps.stopped = true;
    ps.stop_signal = sig;
    ps.stop_unreported = true;
    ps.continued_unreported = false;
    RecalcInterruptAll(p);
  }
  NotifyParentStopCont(p, kCldStopped, sig);
  StopSelf(t);
}

// Linux's force_sigsegv: a frame that cannot be written kills with SIGSEGV, through the
// handler only if the failing signal was not SIGSEGV itself.
void ForceSigsegv(proc::Task& t, int failed_sig) {
  if (failed_sig == kSigSegv && t.signals().handlers) {
    t.signals().handlers->Set(kSigSegv, KSigaction{});
  }
  (void)SendToTask(t, KernelInfo(kSigSegv), SendMode::kForced);
}

// Builds the frame for `sig` and points the registers at its handler. False when the frame
// could not be written.
bool SetupFrame(proc::Task& t, int sig, const SigInfo& info, const KSigaction& a) {
  TaskSignals& ts = t.signals();
  hal::UserContext& ctx = t.user_context();
  hal::UserRegs& regs = ctx.regs;
  if ((a.flags & kSaRestorer) == 0) return false;  // x86_64 has no kernel trampoline
  const hal::FpuFrameInfo fpu = hal::Cpu::FpuFrame();
  auto placed = PlaceFrame(regs.rsp, ts.altstack, (a.flags & kSaOnStack) != 0, fpu);
  if (placed.is_error()) return false;
  const FramePlacement p = placed.value();

  // The FPU image: the live registers hold this task's user state while it is in the kernel.
  hal::Cpu::SaveFpu(ctx);
  static u8 image[hal::kFpuStateSize + 64];  // one CPU, no preemption: one frame at a time
  BuildFpuImage(image, ctx.fpu.bytes, fpu);
  if (mm::CopyToUser(p.fpstate, image, p.fpstate_size).is_error()) return false;

  RtSigframe frame;
  FrameExtras extras{};
  extras.blocked_mask = (ts.restore_mask ? ts.saved_mask : ts.blocked).bits();
  extras.altstack = ts.altstack;
  extras.trapno = ts.fault_trapno;
  extras.err = ts.fault_err;
  extras.cr2 = ts.fault_cr2;
  extras.restorer = a.restorer;
  BuildFrame(frame, regs, info, extras, p, fpu);
  if (mm::CopyToUser(p.frame, &frame, sizeof(frame)).is_error()) return false;

  EnterHandler(regs, sig, a.handler, p);
  // The handler starts with a clean FPU (default control words, empty registers).
  hal::Cpu::InitFpu(ctx);
  hal::Cpu::RestoreFpu(ctx);
  if (p.on_altstack && (ts.altstack.flags & kSsAutoDisarm) != 0) ts.altstack = AltStack{};
  return true;
}

// The handler runs: block what it asks for, maybe reset the disposition
// [linux signal_setup_done].
void AfterFrame(proc::Task& t, int sig, const KSigaction& a) {
  hal::IrqGuard guard;
  TaskSignals& ts = t.signals();
  if (ts.restore_mask) {
    ts.blocked = ts.saved_mask;
    ts.restore_mask = false;
  }
  SigSet add = SigSet(a.mask);
  if ((a.flags & kSaNoDefer) == 0) add.Add(sig);
  ts.blocked = (ts.blocked | add) & ~kUnblockable;
  if ((a.flags & kSaResetHand) != 0 && ts.handlers) {
    KSigaction reset = a;
    reset.handler = kSigDfl;
    reset.flags &= ~kSaSigInfo;  // SA_RESETHAND also clears SA_SIGINFO [linux handle_signal]
    ts.handlers->Set(sig, reset);
  }
  RecalcInterrupt(t);
}

}  // namespace

int SignalExitStatus(proc::Process& p, int sig) {
  bool core = DefaultActionOf(sig) == DefaultAction::kCoreDump && p.signals().core_rlimit != 0;
  return proc::SignaledStatus(sig, core);
}

void DeliverPending(proc::Task& t, bool after_syscall) {
  proc::Process* p = t.process();
  if (p == nullptr) return;
  hal::UserRegs& regs = t.user_context().regs;
  // orig_rax is -1 after rt_sigreturn: the restored rax is a result, never a restart code.
  bool check_restart =
      after_syscall && static_cast<i64>(regs.orig_rax) >= 0 && IsRestartCode(regs.rax);
  for (;;) {
    if (t.killed() && t.exec_killed_ && !p->signals().group_exit) {
      proc::ExitThread(t, 0);  // another thread's execve (de_thread)
    }
    if (t.killed() || p->signals().group_exit) {
      int status = p->signals().group_exit ? p->signals().group_exit_status
                                           : proc::SignaledStatus(kSigKill, false);
      DieOf(t, status);
    }
    if (p->signals().stopped && !t.signals().group_stopped) {
      StopSelf(t);
      continue;
    }
    SigInfo info;
    const int sig = Dequeue(t, info);
    if (sig == 0) break;
    KSigaction a{};
    if (t.signals().handlers) a = t.signals().handlers->Get(sig);
    if (a.handler == kSigIgn) continue;
    if (a.handler == kSigDfl) {
      switch (DefaultActionOf(sig)) {
        case DefaultAction::kIgnore:
        case DefaultAction::kContinue:
          continue;
        case DefaultAction::kStop:
          BeginGroupStop(t, sig);
          continue;
        case DefaultAction::kTerminate:
        case DefaultAction::kCoreDump:
          if (p->pid() == 1 && info.code != kSiKernel && !kSynchronous.Has(sig)) continue;
          {
            hal::IrqGuard guard;
            p->signals().group_exit = true;
            p->signals().group_exit_status = SignalExitStatus(*p, sig);
            p->ForEachThread([](proc::Task& other) {
              other.set_killed();
              RecalcInterrupt(other);
              if (other.state() == proc::TaskState::kStopped) proc::sched::MakeRunnable(other);
              proc::sched::Wake(other);
            });
          }
          DieOf(t, p->signals().group_exit_status);
      }
    }
    // A handler: first settle an interrupted system call, then build the frame on the
    // registers the handler will return to.
    if (check_restart) {
      ApplyRestart(regs, DecideRestart(regs.rax, true, (a.flags & kSaRestart) != 0));
      check_restart = false;
    }
    if (!SetupFrame(t, sig, info, a)) {
      ForceSigsegv(t, sig);
      continue;
    }
    AfterFrame(t, sig, a);
    // Loop: another pending signal gets its own frame on top (nested handlers).
  }
  if (check_restart) ApplyRestart(regs, DecideRestart(regs.rax, false, false));
  hal::IrqGuard guard;
  TaskSignals& ts = t.signals();
  if (ts.restore_mask) {
    ts.blocked = ts.saved_mask;
    ts.restore_mask = false;
    RecalcInterrupt(t);
  }
}

void QueueFault(proc::Task& t, int sig, int code, u64 addr, u64 trapno, u64 err) {
  TaskSignals& ts = t.signals();
  ts.fault_trapno = trapno;
  ts.fault_err = err;
  ts.fault_cr2 = sig == kSigSegv || sig == kSigBus ? addr : 0;
  SigInfo info;
  info.signo = sig;
  info.code = code;
  info.f.fault.addr = addr;
  (void)SendToTask(t, info, SendMode::kForced);
}

i64 SigReturn(proc::Task& t) {
  hal::UserContext& ctx = t.user_context();
  hal::UserRegs& regs = ctx.regs;
  const u64 frame = regs.rsp - 8;  // the handler's `ret` popped pretcode
  UContext uc;
  if (mm::CopyFromUser(&uc, frame + __builtin_offsetof(RtSigframe, uc), sizeof(uc)).is_error()) {
    ForceSigsegv(t, 0);
    return static_cast<i64>(regs.rax);
  }
  {
    hal::IrqGuard guard;
    t.signals().blocked = SigSet(uc.sigmask) & ~kUnblockable;
    t.signals().restore_mask = false;
    RecalcInterrupt(t);
  }
  const hal::FpuFrameInfo fpu = hal::Cpu::FpuFrame();
  hal::Cpu::SaveFpu(ctx);
  u32 mxcsr_mask;
  __builtin_memcpy(&mxcsr_mask, ctx.fpu.bytes + 28, 4);
  bool ok = RestoreRegisters(regs, uc.mcontext);
  const u64 fp = uc.mcontext.fpstate;
  if (fp == 0) {
    hal::Cpu::InitFpu(ctx);
  } else if (fp % 64 != 0 || mm::CopyFromUser(ctx.fpu.bytes, fp, kFxsaveSize).is_error()) {
    ok = false;
    hal::Cpu::InitFpu(ctx);
  } else {
    bool extended = fpu.xsave && mm::CopyFromUser(ctx.fpu.bytes + kFxsaveSize, fp + kFxsaveSize,
                                                  fpu.size + 4 - kFxsaveSize)
                                     .ok();
    SanitizeFpuImage(ctx.fpu.bytes, fpu, mxcsr_mask, extended);
  }
  hal::Cpu::RestoreFpu(ctx);
  // The alternate stack comes back as the frame saved it; a change the handler is not
  // allowed to make now (EPERM: we are on it) is ignored, as Linux does.
  AltStack& alt = t.signals().altstack;
  if (!alt.Contains(regs.rsp)) {
    i32 mode = uc.stack.flags & ~static_cast<i32>(kSsAutoDisarm);
    if (mode == kSsDisable) {
      alt = AltStack{};
    } else if ((mode == 0 || mode == kSsOnStack) && uc.stack.size >= kMinSigStkSz) {
      alt = AltStack{uc.stack.sp, uc.stack.size, static_cast<u32>(uc.stack.flags) & kSsAutoDisarm};
    }
  }
  if (!ok) ForceSigsegv(t, 0);
  return static_cast<i64>(regs.rax);
}

Result<void> OnClone(proc::Task& parent, proc::Task& child, u64 flags) {
  TaskSignals& ps = parent.signals();
  TaskSignals& cs = child.signals();
  if ((flags & kCloneSighand) != 0 && ps.handlers) {
    cs.handlers = ps.handlers;
  } else if (ps.handlers) {
    cs.handlers = TRY(ps.handlers->Clone());
  } else {
    cs.handlers = TRY(Handlers::Create());
  }
  cs.blocked = ps.blocked;
  cs.altstack = (flags & (kCloneVm | kCloneVfork)) == kCloneVm ? AltStack{} : ps.altstack;
  if ((flags & kCloneThread) == 0 && child.process() != nullptr && parent.process() != nullptr) {
    child.process()->signals().core_rlimit = parent.process()->signals().core_rlimit;
  }
  RecalcInterrupt(child);
  return Ok();
}

Result<void> ResetOnExec(proc::Task& t) {
  TaskSignals& ts = t.signals();
  if (!ts.handlers || ts.handlers->ref_count_for_debug() > 1) {
    lib::RefPtr<Handlers> fresh = ts.handlers ? TRY(ts.handlers->Clone()) : TRY(Handlers::Create());
    ts.handlers = fresh;
  }
  ts.handlers->ResetOnExec();
  ts.altstack = AltStack{};
  ts.restore_mask = false;
  ts.fault_trapno = ts.fault_err = ts.fault_cr2 = 0;
  if (proc::Process* p = t.process()) p->job().did_exec = true;
  return Ok();
}

bool TakeStopReport(proc::Process& child, int* status, bool consume) {
  hal::IrqGuard guard;
  ProcessSignals& s = child.signals();
  if (!s.stopped || !s.stop_unreported) return false;
  *status = (s.stop_signal << 8) | 0x7f;
  if (consume) s.stop_unreported = false;
  return true;
}

bool TakeContinuedReport(proc::Process& child, int* status, bool consume) {
  hal::IrqGuard guard;
  ProcessSignals& s = child.signals();
  if (!s.continued_unreported) return false;
  *status = 0xffff;
  if (consume) s.continued_unreported = false;
  return true;
}

bool ParentAutoReaps(proc::Process& parent) {
  proc::Task* leader = parent.leader();
  if (leader == nullptr || !leader->signals().handlers) return false;
  const KSigaction& a = leader->signals().handlers->Get(kSigChld);
  return a.handler == kSigIgn || (a.flags & kSaNoCldWait) != 0;
}

void NotifyParentExit(proc::Process& child, int wait_status, int signo) {
  proc::Process* parent = child.parent();
  if (parent == nullptr) return;
  if (!IsValidSignal(signo)) {
    WakeChildWaiters(*parent);
    return;
  }
  SigInfo info;
  info.signo = signo;
  const int termsig = wait_status & 0x7f;
  if (termsig == 0) {
    info.code = kCldExited;
    info.f.chld.status = (wait_status >> 8) & 0xff;
  } else {
    info.code = (wait_status & 0x80) != 0 ? kCldDumped : kCldKilled;
    info.f.chld.status = termsig;
  }
  info.f.chld.pid = child.pid();
  info.f.chld.uid = child.leader() != nullptr ? child.leader()->credentials().uid : 0;
  (void)SendToProcess(*parent, info);
  WakeChildWaiters(*parent);
}

}  // namespace kernel::signal
