#include "kernel/time/process_timers.h"

#include <hal/interrupts.h>

#include "kernel/lib/alloc.h"
#include "kernel/proc/process.h"
#include "kernel/signal/send.h"

namespace kernel::time {
namespace {

// Advances a CPU-time itimer that is due; returns whether it fired.
bool Due(u64& expiry, u64 interval, u64 now) {
  if (expiry == 0 || now < expiry) return false;
  expiry = interval == 0 ? 0 : (now - expiry < interval ? expiry + interval : now + interval);
  return true;
}

}  // namespace

void CheckCpuTimers(proc::Task& task) {
  proc::Process* p = task.process();
  if (p == nullptr) return;
  ProcessTimers& t = p->timers();
  if (t.virt_expiry_ns == 0 && t.prof_expiry_ns == 0) return;
  CpuTimes c = ProcessCpuTimes(*p);
  if (Due(t.virt_expiry_ns, t.virt_interval_ns, c.user_ns)) {
    (void)signal::SendToProcess(*p, signal::KernelInfo(signal::kSigVtalrm));
  }
  if (Due(t.prof_expiry_ns, t.prof_interval_ns, c.total())) {
    (void)signal::SendToProcess(*p, signal::KernelInfo(signal::kSigProf));
  }
}

void OnExec(proc::Process& p) {
  ProcessTimers& t = p.timers();
  for (PosixTimer*& pt : t.posix) {
    if (pt == nullptr) continue;
    pt->timer.Cancel();
    {
      hal::IrqGuard guard;
      p.signals().shared.RemoveOwned(pt->queued);
      p.ForEachThread([&](proc::Task& th) { th.signals().pending.RemoveOwned(pt->queued); });
    }
    lib::Delete(pt);
    pt = nullptr;
  }
}

void ReleaseProcessTimers(proc::Process& p) {
  ProcessTimers& t = p.timers();
  t.real.Cancel();
  t.real_interval_ns = 0;
  t.virt_expiry_ns = t.prof_expiry_ns = 0;
  OnExec(p);
}

void AccountThreadExit(proc::Task& task) {
  proc::Process* p = task.process();
  if (p == nullptr) return;
  CpuTimes c = TaskCpuTimes(task);
  p->timers().dead_threads.user_ns += c.user_ns;
  p->timers().dead_threads.system_ns += c.system_ns;
  // The thread is no longer counted live: zero it so ProcessCpuTimes does not add it twice.
  task.user_ns_ = 0;
  task.on_cpu_ns_ = 0;
  task.switched_in_ns_ = MonotonicNs();
}

void AccountReapedChild(proc::Process& parent, proc::Process& child) {
  CpuTimes c = ProcessCpuTimes(child);
  CpuTimes& into = parent.timers().children;
  into.user_ns += c.user_ns + child.timers().children.user_ns;
  into.system_ns += c.system_ns + child.timers().children.system_ns;
}

}  // namespace kernel::time
