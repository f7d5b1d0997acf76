#pragma once
/// A Task is one thread of execution: a kernel stack, a saved kernel context, the user
/// register state, and references to the resources it shares with other tasks according to
/// the clone flags (address space, fd table, fs context, signal handlers). A Process is the
/// thread group a task belongs to (kernel/proc/process.h).
///
/// Locking: the kernel is uniprocessor and non-preemptive. Fields below are touched only by
/// kernel code running on behalf of a task, or with interrupts off where an interrupt
/// handler can reach them (state_ and the run-queue node: see scheduler.cc).
#include <hal/cpu.h>
#include <hal/mmu.h>

#include "kernel/lib/intrusive_list.h"
#include "kernel/lib/ref_ptr.h"
#include "kernel/lib/result.h"
#include "kernel/lib/types.h"
#include "kernel/proc/credentials.h"
#include "kernel/signal/state.h"

namespace kernel::fs {
class FdTable;
class FsContext;
}  // namespace kernel::fs
namespace kernel::mm {
class AddressSpace;
}

namespace kernel::proc {

using Pid = i32;
struct VforkDone;
class Process;

enum class TaskState : u8 {
  kRunnable,  ///< on the run queue, or running now
  kBlocked,   ///< asleep until Wake(); see WaitQueue
  kStopped,   ///< stopped by a signal (job control)
  kDead,      ///< finished running; its kernel stack is released once we switch away
};

/// The last system calls of a task, for `debug=fault` dumps and panics.
struct SyscallRecord {
  u64 number;
  u64 args[3];
  i64 result;
};
inline constexpr usize kSyscallHistory = 8;

class Task {
 public:
  using Entry = void (*)(void* arg);

  /// A task that starts in kernel mode at entry(arg) on a fresh kernel stack. User tasks are
  /// kernel tasks whose entry enters user mode (proc::RunUserLoop). Not yet runnable: call
  /// sched::MakeRunnable. ENOMEM when the stack or the task cannot be allocated.
  static Result<Task*> Create(const char* name, Entry entry, void* arg);
  /// A task for the context that is running now (the boot path, or a host test's thread): it
  /// has no stack of its own to free, and its kernel context is filled in the first time the
  /// scheduler switches away from it.
  static Result<Task*> AdoptCurrentContext(const char* name);
  /// Releases the kernel stack and the task. Only for tasks that never ran or are dead and
  /// have been switched away from.
  static void Destroy(Task* task);
  /// Frees the kernel stack of a dead task once nothing runs on it (the scheduler does this
  /// right after switching away); the Task itself lives on until it is reaped.
  void ReleaseKernelStack();
  bool has_kernel_stack() const { return kernel_stack_ != nullptr; }

  Pid tid() const { return tid_; }
  void set_tid(Pid tid) { tid_ = tid; }
  Process* process() const { return process_; }
  void set_process(Process* p) { process_ = p; }
  const char* name() const { return name_; }
  void SetName(const char* name);

  hal::UserContext& user_context() { return user_; }
  hal::KernelContext& kernel_context() { return kernel_; }

  TaskState state() const { return state_; }
  void set_state(TaskState s) { state_ = s; }

  /// True when a blocking wait should end early: a signal is pending that is not blocked, or
  /// the task is being killed. Signal code (issue #8) keeps this up to date.
  bool interrupt_pending() const { return interrupt_pending_ || killed_; }
  void set_interrupt_pending(bool v) { interrupt_pending_ = v; }
  bool killed() const { return killed_; }
  void set_killed() { killed_ = true; }

  /// Ring of the last system calls (debug).
  void RecordSyscall(const SyscallRecord& r);
  /// Visits the recorded calls oldest first.
  template <typename F>
  void ForEachRecentSyscall(F&& f) const {
    usize n = syscall_count_ < kSyscallHistory ? syscall_count_ : kSyscallHistory;
    for (usize i = 0; i < n; ++i) f(syscalls_[(syscall_count_ - n + i) % kSyscallHistory]);
  }

  // ---- credentials (per task, as in Linux; copied on clone) ----
  Credentials& credentials() { return credentials_; }
  const Credentials& credentials() const { return credentials_; }

  // ---- signals (kernel/signal) ----
  signal::TaskSignals& signals() { return signals_; }
  const signal::TaskSignals& signals() const { return signals_; }

  // ---- CPU time (kernel/time/cpu_clock.cc) ----
  u64 user_ns_ = 0;    ///< time spent in user mode
  u64 on_cpu_ns_ = 0;  ///< total time on the CPU (user + kernel), up to the last switch
  u64 switched_in_ns_ = 0;

  // Subsystems add their per-task state below, each in its own section, e.g.
  //   ---- memory (kernel/mm) ----   lib::RefPtr<mm::AddressSpace> address_space_;
  //   ---- files (kernel/fs) ----    lib::RefPtr<fs::FdTable> fd_table_; ...

  // ---- files (kernel/fs) ----
  // The fd table and the fs context (root, cwd, umask, mount namespace), shared with other
  // tasks as CLONE_FILES / CLONE_FS say. Null for kernel tasks that never touch files.
  // Released when the task is destroyed; exit should CloseAll() / drop them earlier.
  const lib::RefPtr<fs::FdTable>& fd_table() const { return fd_table_; }
  const lib::RefPtr<fs::FsContext>& fs_context() const { return fs_context_; }
  void set_fd_table(lib::RefPtr<fs::FdTable> table);  // defined in task.cc
  void set_fs_context(lib::RefPtr<fs::FsContext> context);

  // ---- memory (kernel/mm) ----
  /// The address space the task runs in; shared by CLONE_VM tasks, null for kernel tasks.
  mm::AddressSpace* address_space() const { return address_space_.get(); }
  /// What the scheduler activates when it switches to this task (invalid: none).
  hal::PageTableRoot page_table_root() const;
  /// Replaces the address space; when the task is running, the new one is activated before
  /// the old one is released (execve, exit).
  void SetAddressSpace(lib::RefPtr<mm::AddressSpace> as);
  lib::RefPtr<mm::AddressSpace> address_space_;

  // ---- lifecycle (kernel/proc/clone.cc, exit.cc) ----
  u64 clear_child_tid_ = 0;   ///< set_tid_address / CLONE_CHILD_CLEARTID: zeroed and woken at exit
  u64 set_child_tid_ = 0;     ///< CLONE_CHILD_SETTID: the child writes its tid there first thing
  u64 robust_list_head_ = 0;  ///< set_robust_list
  VforkDone* vfork_done_ = nullptr;  ///< the vfork parent waiting for this child's exec or exit
  int exit_code_ = 0;                ///< wait status of this thread's own exit
  u64 start_time_ns_ = 0;

  // ---- priorities and prctl (kernel/syscalls/sched.cc, prctl.cc) ----
  int nice_ = 0;           ///< -20..19; recorded and inherited, not yet used by the scheduler
  int pdeath_signal_ = 0;  ///< PR_SET_PDEATHSIG: sent when the parent dies; cleared by fork
  bool dumpable_ = true;   ///< PR_SET_DUMPABLE
  int sched_policy_ = 0;   ///< SCHED_OTHER; others recorded for sched_getscheduler
  int sched_priority_ = 0;
  bool exec_killed_ = false;   ///< killed by another thread's execve: exits alone
  bool no_new_privs_ = false;  ///< PR_SET_NO_NEW_PRIVS (inherited, never cleared)

  // ---- scheduler (kernel/proc/scheduler.cc) ----
  lib::ListNode run_node_;
  u32 time_slice_ticks_ = 0;
  bool need_resched_ = false;

  // ---- process membership (kernel/proc/process.cc) ----
  lib::ListNode thread_node_;

 private:
  Task() = default;
  ~Task();

  Pid tid_ = 0;
  Process* process_ = nullptr;
  char name_[16] = {};
  TaskState state_ = TaskState::kBlocked;
  bool interrupt_pending_ = false;
  bool killed_ = false;

  static void Start(void* task);  // first code on a new task's stack

  Entry entry_ = nullptr;
  void* entry_arg_ = nullptr;
  void* kernel_stack_ = nullptr;
  hal::KernelContext kernel_;
  hal::UserContext user_;

  Credentials credentials_;
  signal::TaskSignals signals_;
  SyscallRecord syscalls_[kSyscallHistory] = {};
  usize syscall_count_ = 0;

  // ---- files (kernel/fs) ----
  lib::RefPtr<fs::FdTable> fd_table_;
  lib::RefPtr<fs::FsContext> fs_context_;
};

}  // namespace kernel::proc
