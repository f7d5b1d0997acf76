#include "kernel/tty/session.h"

#include "kernel/lib/alloc.h"
#include "kernel/proc/process.h"
#include "kernel/signal/send.h"
#include "kernel/tty/tty.h"

namespace kernel::tty {
namespace {

lib::IntrusiveList<ProcessGroup, &ProcessGroup::all_node> g_groups;

Result<lib::RefPtr<ProcessGroup>> NewGroup(proc::Pid pgid, lib::RefPtr<Session> session) {
  ProcessGroup* g =
      TRY(lib::TryNew<ProcessGroup>(pgid, static_cast<lib::RefPtr<Session>&&>(session)));
  g_groups.PushBack(*g);
  return lib::AdoptRef(g);
}

bool Alive(const proc::Process& p) { return !p.exited(); }

}  // namespace

namespace internal {
lib::IntrusiveList<ProcessGroup, &ProcessGroup::all_node>& AllGroups() { return g_groups; }
}  // namespace internal

ProcessGroup::~ProcessGroup() {
  if (all_node.linked()) g_groups.Remove(*this);
}

bool ProcessGroup::IsOrphaned(const proc::Process* ignoring) const {
  for (const JobControl& j : members_) {
    const proc::Process* p = j.owner;
    if (p == ignoring || !Alive(*p)) continue;
    const proc::Process* parent = p->parent();
    if (parent == nullptr || parent == ignoring || !Alive(*parent)) continue;
    const ProcessGroup* pg = parent->job().group.get();
    if (pg != nullptr && pg != this && &pg->session() == &session()) return false;
  }
  return true;
}

bool ProcessGroup::HasStoppedMembers() const {
  for (const JobControl& j : members_) {
    if (j.owner->signals().stopped) return true;
  }
  return false;
}

ProcessGroup* FindGroup(proc::Pid pgid) {
  for (ProcessGroup& g : g_groups) {
    if (g.pgid() == pgid && !g.empty()) return &g;
  }
  return nullptr;
}

proc::Process* FindProcess(proc::Pid pid) {
  proc::Process* found = nullptr;
  ForEachProcess([&](proc::Process& p) {
    if (p.pid() == pid) found = &p;
  });
  return found;
}

Result<void> JoinGroup(proc::Process& p, lib::RefPtr<ProcessGroup> group) {
  JobControl& j = p.job();
  j.owner = &p;
  if (j.group.get() == group.get()) return Ok();
  if (j.group) j.group->members_.Remove(j);
  group->members_.PushBack(j);
  j.group = static_cast<lib::RefPtr<ProcessGroup>&&>(group);
  return Ok();
}

void LeaveGroup(proc::Process& p) {
  JobControl& j = p.job();
  if (!j.group) return;
  j.group->members_.Remove(j);
  j.group = nullptr;
}

Result<void> JoinInitialGroup(proc::Process& p, proc::Process* parent) {
  if (parent != nullptr && parent->job().group) return JoinGroup(p, parent->job().group);
  ProcessGroup* zero = nullptr;
  for (ProcessGroup& g : g_groups) {
    if (g.pgid() == 0) zero = &g;
  }
  if (zero != nullptr) return JoinGroup(p, lib::RefPtr<ProcessGroup>(zero));
  Session* s = TRY(lib::TryNew<Session>(0));
  lib::RefPtr<ProcessGroup> g = TRY(NewGroup(0, lib::AdoptRef(s)));
  return JoinGroup(p, static_cast<lib::RefPtr<ProcessGroup>&&>(g));
}

proc::Pid PgidOf(const proc::Process& p) { return p.job().group ? p.job().group->pgid() : 0; }
proc::Pid SidOf(const proc::Process& p) {
  return p.job().group ? p.job().group->session().sid() : 0;
}

// pid_t setsid(void);   [man 2 setsid]
Result<proc::Pid> SetSid(proc::Process& caller) {
  const proc::Pid pid = caller.pid();
  if (FindGroup(pid) != nullptr) return Errno::kEPERM;  // already a group leader
  Session* s = TRY(lib::TryNew<Session>(pid));
  lib::RefPtr<Session> session = lib::AdoptRef(s);
  lib::RefPtr<ProcessGroup> g = TRY(NewGroup(pid, session));
  TRY(JoinGroup(caller, static_cast<lib::RefPtr<ProcessGroup>&&>(g)));
  return pid;
}

// int setpgid(pid_t pid, pid_t pgid);   [man 2 setpgid]
Result<void> SetPgid(proc::Process& caller, proc::Pid pid, proc::Pid pgid) {
  if (pgid < 0) return Errno::kEINVAL;
  proc::Process* target = pid == 0 ? &caller : FindProcess(pid);
  if (target == nullptr) return Errno::kESRCH;
  if (pgid == 0) pgid = target->pid();
  Session& session = caller.job().group->session();
  if (target != &caller) {
    if (target->parent() != &caller) return Errno::kESRCH;
    if (&target->job().group->session() != &session) return Errno::kEPERM;
    if (target->job().did_exec) return Errno::kEACCES;
  }
  // A session leader cannot move [man 2 setpgid, EPERM].
  if (target->job().group->session().sid() == target->pid()) return Errno::kEPERM;
  if (pgid == target->pid()) {
    if (PgidOf(*target) == pgid) return Ok();
    ProcessGroup* existing = FindGroup(pgid);
    if (existing != nullptr) return JoinGroup(*target, lib::RefPtr<ProcessGroup>(existing));
    lib::RefPtr<ProcessGroup> g = TRY(NewGroup(pgid, target->job().group->session_ref()));
    return JoinGroup(*target, static_cast<lib::RefPtr<ProcessGroup>&&>(g));
  }
  ProcessGroup* g = FindGroup(pgid);
  if (g == nullptr || &g->session() != &session) return Errno::kEPERM;
  return JoinGroup(*target, lib::RefPtr<ProcessGroup>(g));
}

namespace {
void HupIfOrphanedAndStopped(ProcessGroup* g, const proc::Process* ignoring) {
  if (g == nullptr || !g->HasStoppedMembers() || !g->IsOrphaned(ignoring)) return;
  (void)signal::SendToGroup(*g, signal::KernelInfo(signal::kSigHup));
  (void)signal::SendToGroup(*g, signal::KernelInfo(signal::kSigCont));
}
}  // namespace

void OnProcessExit(proc::Process& p) {
  ProcessGroup* g = p.job().group.get();
  if (g == nullptr) return;
  Session& s = g->session();
  if (s.sid() == p.pid()) {
    s.leader_exited = true;
    if (Tty* t = s.ctty()) t->SessionLeaderExited();
  }
  // The exit can orphan our own group: parent in another group of our session no more.
  HupIfOrphanedAndStopped(g, &p);
}

void OnReparented(proc::Process& child) {
  HupIfOrphanedAndStopped(child.job().group.get(), nullptr);
}

}  // namespace kernel::tty
