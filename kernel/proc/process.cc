#include "kernel/proc/process.h"

#include <hal/power.h>

#include "kernel/debug/log.h"
#include "kernel/lib/alloc.h"
#include "kernel/proc/scheduler.h"

namespace kernel::proc {
namespace {
Pid g_next_pid = 1;
}  // namespace

Pid AllocatePid() { return g_next_pid++; }

Result<Process*> Process::Create(Task& leader, Process* parent) {
  void* mem = lib::Allocate(sizeof(Process), alignof(Process));
  if (mem == nullptr) return Errno::kENOMEM;
  auto* p = new (mem) Process();
  p->pid_ = AllocatePid();
  p->parent_ = parent;
  p->leader_ = &leader;
  leader.set_tid(p->pid_);
  leader.set_process(p);
  p->threads_.PushBack(leader);
  if (auto r = tty::JoinInitialGroup(*p, parent); r.is_error()) {
    p->threads_.Remove(leader);
    p->~Process();
    lib::Free(p);
    return r.error();
  }
  return p;
}

void Process::ExitGroup(Task& current, int wait_status) {
  Process* p = current.process();
  p->exited_ = true;
  p->wait_status_ = wait_status;
  if (p->pid_ == 1) {
    // The test init's contract with the harness: PID 1's status is the machine's.
    int code = (wait_status & 0x7f) != 0 ? 128 + (wait_status & 0x7f) : (wait_status >> 8) & 0xff;
    LOG_INFO("init (pid 1) exited with status %d: stopping the machine\n", code);
    hal::Power::Exit(code);
  }
  // TODO(#5): kill the other threads, release the address space and files, become a zombie,
  // notify the parent (SIGCHLD) and wake its wait4.
  sched::ExitCurrent();
}

}  // namespace kernel::proc
