#pragma once
/// Sessions and process groups [man 7 credentials "Process ID, process group ID, session ID";
/// POSIX "General Terminal Interface" §11.1.2-11.1.4].
///
/// Every process belongs to exactly one process group, every group to one session. A session
/// may have a controlling terminal; the terminal knows its session and its foreground group.
/// Groups are kept on one global list (they are few); a group dies with its last member.
///
/// PID 1 starts, as on Linux, in process group 0 of session 0 and calls setsid() itself.
///
/// Locking: lists are changed from process context only; the terminal's input worker and the
/// signal senders read them from process context too (never from interrupts).
#include "kernel/lib/intrusive_list.h"
#include "kernel/lib/ref_ptr.h"
#include "kernel/lib/result.h"
#include "kernel/proc/credentials.h"

namespace kernel::proc {
class Process;
using Pid = i32;
}  // namespace kernel::proc

namespace kernel::tty {

class Tty;
class ProcessGroup;

class Session : public lib::RefCounted<Session> {
 public:
  explicit Session(proc::Pid sid) : sid_(sid) {}
  proc::Pid sid() const { return sid_; }
  /// The controlling terminal, or null. Set by TIOCSCTTY/open, cleared by TIOCNOTTY, hang-up
  /// or the leader's exit.
  Tty* ctty() const { return ctty_; }
  void set_ctty(Tty* t) { ctty_ = t; }
  /// The session leader is gone: processes keep the session but it can get no new terminal.
  bool leader_exited = false;

 private:
  proc::Pid sid_;
  Tty* ctty_ = nullptr;
};

/// A process's place in the job-control world; embedded in proc::Process.
struct JobControl {
  lib::RefPtr<ProcessGroup> group;
  lib::ListNode group_node;
  proc::Process* owner = nullptr;
  /// The process has called execve (setpgid on a child that has: EACCES).
  bool did_exec = false;
  /// TIOCNOTTY from a process that does not lead its session: it alone loses the terminal.
  bool detached_ctty = false;
};

class ProcessGroup : public lib::RefCounted<ProcessGroup> {
 public:
  ProcessGroup(proc::Pid pgid, lib::RefPtr<Session> session)
      : pgid_(pgid), session_(static_cast<lib::RefPtr<Session>&&>(session)) {}
  ~ProcessGroup();

  proc::Pid pgid() const { return pgid_; }
  Session& session() const { return *session_; }
  const lib::RefPtr<Session>& session_ref() const { return session_; }

  /// Calls f(Process&) for each member; f may not remove members other than the current one.
  template <typename F>
  void ForEachMember(F&& f) {
    JobControl* j = members_.Front();
    while (j != nullptr) {
      JobControl* next = members_.Next(*j);
      f(*j->owner);
      j = next;
    }
  }
  bool empty() const { return members_.empty(); }

  /// POSIX: a group is orphaned when no member has a parent in another group of the same
  /// session [linux will_become_orphaned_pgrp]. Members that have exited do not count.
  bool IsOrphaned(const proc::Process* ignoring = nullptr) const;
  /// Some member is stopped by a job-control signal.
  bool HasStoppedMembers() const;

  lib::ListNode all_node;

 private:
  friend Result<void> JoinGroup(proc::Process&, lib::RefPtr<ProcessGroup>);
  friend void LeaveGroup(proc::Process&);
  proc::Pid pgid_;
  lib::RefPtr<Session> session_;
  lib::IntrusiveList<JobControl, &JobControl::group_node> members_;
};

/// The group with this id, or null.
ProcessGroup* FindGroup(proc::Pid pgid);
/// Calls f(Process&) for every process in every group (kill(-1), pid lookups).
template <typename F>
void ForEachProcess(F&& f);

/// A new process joins `parent`'s group (fork), or group 0 of session 0 (the first process).
Result<void> JoinInitialGroup(proc::Process& p, proc::Process* parent);
/// Moves `p` to `group`, leaving its old group (which dies when empty).
Result<void> JoinGroup(proc::Process& p, lib::RefPtr<ProcessGroup> group);
/// The process is being reaped: it leaves its group.
void LeaveGroup(proc::Process& p);

/// setsid(2): a new session and group whose id is the caller's pid. EPERM when the caller
/// already leads a group.
Result<proc::Pid> SetSid(proc::Process& caller);
/// setpgid(2) from `caller`: pid 0 is the caller, pgid 0 is the target's pid.
Result<void> SetPgid(proc::Process& caller, proc::Pid pid, proc::Pid pgid);

proc::Pid PgidOf(const proc::Process& p);
proc::Pid SidOf(const proc::Process& p);

/// The process with this pid (not yet reaped), or null. TODO(#5): use proc's pid table.
proc::Process* FindProcess(proc::Pid pid);

/// A process is exiting: a session leader hangs up its terminal (SIGHUP to the foreground
/// group), and groups that become orphaned with stopped members get SIGHUP then SIGCONT
/// [POSIX _exit; linux exit_notify/kill_orphaned_pgrp]. Call before the children are
/// reparented, with `children` visiting each child.
void OnProcessExit(proc::Process& p);
/// After `child` was reparented because its parent exited: its group may now be orphaned.
void OnReparented(proc::Process& child);

namespace internal {
lib::IntrusiveList<ProcessGroup, &ProcessGroup::all_node>& AllGroups();
}

template <typename F>
void ForEachProcess(F&& f) {
  for (ProcessGroup& g : internal::AllGroups()) g.ForEachMember(f);
}

}  // namespace kernel::tty
