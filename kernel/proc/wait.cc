#include "kernel/proc/wait.h"

#include "kernel/proc/exit.h"
#include "kernel/proc/process.h"
#include "kernel/signal/deliver.h"
#include "kernel/time/clocks.h"
#include "kernel/time/process_timers.h"

namespace kernel::proc {
namespace {

// Linux's eligible_child: the selector, then "clone" children (those that signal their parent
// with something other than SIGCHLD) only for __WCLONE, others only without it; __WALL both.
bool Eligible(Process& child, const WaitSelector& sel, u32 options, Process& self) {
  switch (sel.kind) {
    case WaitSelector::Kind::kAny:
      break;
    case WaitSelector::Kind::kPid:
      if (child.pid() != sel.id) return false;
      break;
    case WaitSelector::Kind::kPgid:
      if (tty::PgidOf(child) != (sel.id == 0 ? tty::PgidOf(self) : sel.id)) return false;
      break;
  }
  if ((options & wait_options::kAll) != 0) return true;
  bool clone_child = child.exit_signal() != kSigChld;
  return clone_child == ((options & wait_options::kClone) != 0);
}

// What wait4's rusage reports of a child, reaped or not: getrusage(p, RUSAGE_BOTH), its own
// CPU time and that of the children it reaped [linux kernel/exit.c wait_task_zombie].
void ReportCpuTimes(Process& child, WaitResult& r) {
  time::CpuTimes own = time::ProcessCpuTimes(child);
  const time::CpuTimes& kids = child.timers().children;
  r.user_ns = own.user_ns + kids.user_ns;
  r.system_ns = own.system_ns + kids.system_ns;
}

}  // namespace

Result<WaitResult> WaitForChild(Task& self, WaitSelector selector, u32 options) {
  Process& me = *self.process();
  WaitResult found;
  bool any = false;
  auto scan = [&]() -> bool {
    ReapDeadThreads();
    any = false;
    bool reported = false;
    Process* ready = nullptr;
    me.ForEachChild([&](Process& c) {
      if (ready != nullptr || reported || !Eligible(c, selector, options, me)) return;
      if (c.exited()) {
        // A zombie is something to wait for only with WEXITED: without it, a caller whose
        // only children are zombies gets ECHILD (wait_task_zombie returns without clearing
        // notask_error).
        if ((options & wait_options::kExited) != 0) {
          any = true;
          ready = &c;
        }
        return;
      }
      any = true;
      // Job-control stops and continues (reported once each, unless WNOWAIT).
      const bool consume = (options & wait_options::kNoWait) == 0;
      int status = 0;
      if (((options & wait_options::kStopped) != 0 &&
           signal::TakeStopReport(c, &status, consume)) ||
          ((options & wait_options::kContinued) != 0 &&
           signal::TakeContinuedReport(c, &status, consume))) {
        found.pid = c.pid();
        found.wait_status = status;
        found.uid = c.leader()->credentials().uid;
        ReportCpuTimes(c, found);
        reported = true;
      }
    });
    if (reported) return true;
    if (ready == nullptr) return false;
    found.pid = ready->pid();
    found.wait_status = ready->wait_status();
    found.uid = ready->leader()->credentials().uid;
    ReportCpuTimes(*ready, found);
    if ((options & wait_options::kNoWait) == 0) {
      // wait_task_zombie: a reaped child's CPU time (and its own reaped children's) becomes
      // the parent's RUSAGE_CHILDREN; WNOWAIT and auto-reaped children add nothing.
      time::AccountReapedChild(me, *ready);
      ReapZombie(*ready);
    }
    return true;
  };
  if (scan()) return found;
  if (!any) return Errno::kECHILD;
  if ((options & wait_options::kNoHang) != 0) return WaitResult{};
  bool done = false;
  TRY(me.child_wait().WaitInterruptible([&] {
    done = scan();
    return done || !any;
  }));
  if (!done) return Errno::kECHILD;
  return found;
}

}  // namespace kernel::proc
