#pragma once
/// A Process is a thread group: the tasks that share a pid (tgid), and what Linux keeps per
/// process rather than per thread: the parent, the children, the exit status.
/// TODO(#5): fork/clone, wait4/waitid, reparenting to init, zombies and reaping.
#include "kernel/lib/intrusive_list.h"
#include "kernel/lib/result.h"
#include "kernel/proc/task.h"
#include "kernel/signal/state.h"
#include "kernel/time/process_timers.h"
#include "kernel/tty/session.h"

namespace kernel::proc {

/// Linux wait-status encodings [man 2 wait]: what WIFEXITED/WEXITSTATUS/WTERMSIG decode.
constexpr int ExitedStatus(int code) { return (code & 0xff) << 8; }
constexpr int SignaledStatus(int signal, bool core_dumped) {
  return (signal & 0x7f) | (core_dumped ? 0x80 : 0);
}

class Process {
 public:
  /// A new process with a fresh pid whose first thread is `leader`.
  static Result<Process*> Create(Task& leader, Process* parent);

  Pid pid() const { return pid_; }
  Process* parent() const { return parent_; }
  Task* leader() const { return leader_; }

  /// Ends every thread of the current task's process with a wait status (ExitedStatus or
  /// SignaledStatus) and switches away for good. When the process is PID 1 the machine
  /// stops with the status a harness understands: the exit code, or 128+N for signal N.
  [[noreturn]] static void ExitGroup(Task& current, int wait_status);

  bool exited() const { return exited_; }
  int wait_status() const { return wait_status_; }

  // ---- signals, sessions and process groups (kernel/signal, kernel/tty) ----
  signal::ProcessSignals& signals() { return signals_; }
  tty::JobControl& job() { return job_; }
  const tty::JobControl& job() const { return job_; }
  time::ProcessTimers& timers() { return timers_; }
  template <typename F>
  void ForEachThread(F&& f) {
    for (Task& t : threads_) f(t);
  }

 private:
  Process() = default;

  Pid pid_ = 0;
  Process* parent_ = nullptr;
  Task* leader_ = nullptr;
  lib::IntrusiveList<Task, &Task::thread_node_> threads_;
  bool exited_ = false;
  int wait_status_ = 0;
  signal::ProcessSignals signals_;
  tty::JobControl job_;
  time::ProcessTimers timers_;
};

/// The next free pid (and tid: they share one namespace, as in Linux).
Pid AllocatePid();

}  // namespace kernel::proc
