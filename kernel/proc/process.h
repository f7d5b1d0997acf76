#pragma once
/// A Process is a thread group: the tasks that share a pid (tgid), and what Linux keeps per
/// process rather than per thread: the parent and children, the exit status, resource
/// limits, process-directed signals, the process group and session. docs/processes.md
/// describes the life of one (clone.cc, exit.cc, wait.cc).
///
/// Lifetime: a Process lives from clone until its parent reaps it with wait4/waitid (or,
/// with no parent left to care, until it exits). Its leader Task lives as long; other
/// threads are freed soon after they exit (ReapDeadThreads).
#include "kernel/elf/exec_file.h"
#include "kernel/lib/intrusive_list.h"
#include "kernel/lib/result.h"
#include "kernel/proc/rlimit.h"
#include "kernel/proc/task.h"
#include "kernel/proc/wait_queue.h"
#include "kernel/signal/state.h"
#include "kernel/time/process_timers.h"
#include "kernel/tty/session.h"

namespace kernel::proc {

/// Linux wait-status encodings [man 2 wait]: what WIFEXITED/WEXITSTATUS/WTERMSIG decode.
constexpr int ExitedStatus(int code) { return (code & 0xff) << 8; }
constexpr int SignaledStatus(int signal, bool core_dumped) {
  return (signal & 0x7f) | (core_dumped ? 0x80 : 0);
}

inline constexpr int kSigChld = 17;

class Process {
 public:
  enum class State : u8 {
    kAlive,   ///< at least one thread has not exited
    kZombie,  ///< every thread has exited; waiting for the parent to reap it
  };

  /// A new process whose first thread is `leader`, with a fresh pid (the leader's tid unless
  /// it has one already). Limits, process group and session come from `parent` (none: PID 1,
  /// in group 0 of session 0). ENOMEM, EAGAIN (no pid left).
  static Result<Process*> Create(Task& leader, Process* parent);
  Process() = default;  // for TryNew: use Create
  /// Frees a reaped process, its leader Task and its pid.
  static void Destroy(Process* p);

  Pid pid() const { return pid_; }
  Process* parent() const { return parent_; }
  Task* leader() const { return leader_; }
  State state() const { return state_; }
  bool exited() const { return state_ == State::kZombie; }
  /// The wait status once the process is a zombie.
  int wait_status() const { return wait_status_; }

  /// Ends every thread of the current task's process with a wait status (ExitedStatus or
  /// SignaledStatus; the first exit_group or fatal signal wins) and switches away for good.
  /// When the process is PID 1 the machine stops with the status a harness understands: the
  /// exit code, or 128+N for signal N.
  [[noreturn]] static void ExitGroup(Task& current, int wait_status);

  // ---- threads ----
  template <typename F>
  void ForEachThread(F&& f) {
    for (Task& t : threads_) f(t);
  }
  usize live_threads() const { return live_threads_; }
  /// A group exit (exit_group or a fatal signal) is under way.
  bool group_exiting() const { return signals_.group_exit; }
  /// Woken whenever a thread of the process exits (execve waits here for the others).
  WaitQueue& thread_exit_wait() { return thread_exit_wait_; }

  // ---- family ----
  /// Links the process into its parent's children (or the orphan list in exit.cc).
  lib::ListNode sibling_node_;
  using SiblingList = lib::IntrusiveList<Process, &Process::sibling_node_>;
  template <typename F>
  void ForEachChild(F&& f) {
    for (Process& c : children_) f(c);
  }
  bool has_children() const { return !children_.empty(); }
  /// Where a parent's wait4/waitid sleeps until a child changes state.
  WaitQueue& child_wait() { return child_wait_; }
  /// The signal the parent gets when this process dies (SIGCHLD, or another for clone
  /// children; 0 for none). Decides which waits see it (__WCLONE).
  int exit_signal() const { return exit_signal_; }
  void set_exit_signal(int s) { exit_signal_ = s; }

  // ---- limits and times ----
  /// PR_SET_CHILD_SUBREAPER: orphaned descendants are reparented here instead of to init.
  bool child_subreaper() const { return child_subreaper_; }
  void set_child_subreaper(bool v) { child_subreaper_ = v; }
  RLimits& rlimits() { return rlimits_; }
  /// The executable the process runs (Linux's mm->exe_file): set by execve, inherited by
  /// fork, shown by /proc/<pid>/exe.
  const lib::RefPtr<elf::ExecFile>& exe_file() const { return exe_file_; }
  void set_exe_file(lib::RefPtr<elf::ExecFile> f) { exe_file_ = lib::move(f); }
  u64 start_time_ns() const { return start_time_ns_; }

  // ---- signals, sessions and process groups (kernel/signal, kernel/tty) ----
  signal::ProcessSignals& signals() { return signals_; }
  tty::JobControl& job() { return job_; }
  const tty::JobControl& job() const { return job_; }
  /// The process group id (0 before the process joins one).
  Pid pgid() const { return job_.group ? job_.group->pgid() : 0; }
  time::ProcessTimers& timers() { return timers_; }

 private:
  friend struct ProcessInternals;  // kernel/proc/{clone,exit,wait}.cc

  Pid pid_ = 0;
  lib::RefPtr<elf::ExecFile> exe_file_;
  Process* parent_ = nullptr;
  Task* leader_ = nullptr;
  State state_ = State::kAlive;
  int exit_signal_ = kSigChld;
  bool child_subreaper_ = false;
  int wait_status_ = 0;
  usize live_threads_ = 0;
  lib::IntrusiveList<Task, &Task::thread_node_> threads_;
  SiblingList children_;
  WaitQueue child_wait_;
  WaitQueue thread_exit_wait_;
  RLimits rlimits_ = RLimits::Defaults();
  u64 start_time_ns_ = 0;
  signal::ProcessSignals signals_;
  tty::JobControl job_;
  time::ProcessTimers timers_;
};

/// kernel/proc's own files reach into Process through this (clone.cc, exit.cc, wait.cc);
/// nothing else should.
struct ProcessInternals {
  static void AddThread(Process& p, Task& t);
  static void RemoveThread(Process& p, Task& t) { p.threads_.Remove(t); }
  static void AddChild(Process& parent, Process& child);
  static void RemoveChild(Process& parent, Process& child);
  static void SetParent(Process& p, Process* parent) { p.parent_ = parent; }
  static void SetLeader(Process& p, Task& t) { p.leader_ = &t; }
  static void ThreadExited(Process& p) { --p.live_threads_; }
  static void BecomeZombie(Process& p, int status) {
    p.state_ = Process::State::kZombie;
    p.wait_status_ = status;
  }
  static Process::SiblingList& Children(Process& p) { return p.children_; }
};

}  // namespace kernel::proc
