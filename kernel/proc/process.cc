#include "kernel/proc/process.h"

#include "kernel/lib/alloc.h"
#include "kernel/proc/pid_table.h"
#include "kernel/time/timer.h"

namespace kernel::proc {

RLimits RLimits::Defaults() {
  RLimits r;
  for (RLimit& l : r.limits) l = {kRlimInfinity, kRlimInfinity};
  // Linux's INIT_RLIMITS [linux include/asm-generic/resource.h], with the task and signal
  // counts Linux derives from the memory size fixed at its value for a small machine.
  r.limits[rlimit::kStack] = {8ull << 20, kRlimInfinity};
  r.limits[rlimit::kCore] = {0, kRlimInfinity};
  r.limits[rlimit::kNproc] = {7823, 7823};
  r.limits[rlimit::kNofile] = {1024, 4096};
  r.limits[rlimit::kMemlock] = {8ull << 20, 8ull << 20};
  r.limits[rlimit::kSigpending] = {7823, 7823};
  r.limits[rlimit::kMsgqueue] = {819200, 819200};
  r.limits[rlimit::kNice] = {0, 0};
  r.limits[rlimit::kRtprio] = {0, 0};
  return r;
}

Result<Process*> Process::Create(Task& leader, Process* parent) {
  Process* p = TRY(lib::TryNew<Process>());
  bool own_pid = false;
  if (leader.tid() == 0) {
    if (auto pid = AllocatePid(leader); pid.is_error()) {
      lib::Delete(p);
      return pid.error();
    }
    own_pid = true;
  }
  p->pid_ = leader.tid();
  p->leader_ = &leader;
  p->start_time_ns_ = time::MonotonicNs();
  if (parent != nullptr) {
    p->rlimits_ = parent->rlimits_;
    p->exe_file_ = parent->exe_file_;
    p->signals_.core_rlimit = parent->signals_.core_rlimit;
  }
  ProcessInternals::AddThread(*p, leader);
  if (auto r = tty::JoinInitialGroup(*p, parent); r.is_error()) {
    ProcessInternals::RemoveThread(*p, leader);
    leader.set_process(nullptr);
    if (own_pid) {
      ReleasePid(leader.tid());
      leader.set_tid(0);
    }
    lib::Delete(p);
    return r.error();
  }
  if (parent != nullptr) ProcessInternals::AddChild(*parent, *p);
  return p;
}

void Process::Destroy(Process* p) {
  if (p == nullptr) return;
  tty::LeaveGroup(*p);
  while (Task* t = p->threads_.PopFront()) {
    if (t->tid() != 0 && FindTask(t->tid()) == t) ReleasePid(t->tid());
    t->set_process(nullptr);
    Task::Destroy(t);
  }
  if (p->sibling_node_.linked() && p->parent_ != nullptr) p->parent_->children_.Remove(*p);
  lib::Delete(p);
}

void ProcessInternals::AddThread(Process& p, Task& t) {
  t.set_process(&p);
  p.threads_.PushBack(t);
  ++p.live_threads_;
}

void ProcessInternals::AddChild(Process& parent, Process& child) {
  child.parent_ = &parent;
  parent.children_.PushBack(child);
}

void ProcessInternals::RemoveChild(Process& parent, Process& child) {
  parent.children_.Remove(child);
  child.parent_ = nullptr;
}

}  // namespace kernel::proc
