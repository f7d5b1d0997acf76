#include "kernel/proc/exit.h"

#include <hal/interrupts.h>
#include <hal/power.h>

#include "kernel/debug/log.h"
#include "kernel/fs/fd_table.h"
#include "kernel/fs/fs_context.h"
#include "kernel/mm/address_space.h"
#include "kernel/mm/user_ptr.h"
#include "kernel/proc/clone.h"
#include "kernel/proc/futex.h"
#include "kernel/proc/pid_table.h"
#include "kernel/proc/process.h"
#include "kernel/proc/scheduler.h"
#include "kernel/signal/deliver.h"
#include "kernel/signal/send.h"
#include "kernel/time/process_timers.h"
#include "kernel/tty/session.h"

namespace kernel::proc {
namespace {

// Exited threads other than leaders, waiting for their kernel stack to be released.
lib::IntrusiveList<Task, &Task::thread_node_> g_dead_threads;
// Zombies nobody will reap: init itself, orphans when there is no init, children of a parent
// that ignores SIGCHLD. Freed once their last thread is off the CPU.
Process::SiblingList g_orphans;

// Linux's exit_robust_list [man 2 set_robust_list, linux kernel/futex/core.c]: every futex
// on the dying thread's robust list (and the one it was about to take or release) that it
// still owns gets FUTEX_OWNER_DIED, and one waiter is woken to find EOWNERDEAD. The list is
// user memory: a bad pointer ends the walk, and it is cut at ROBUST_LIST_LIMIT entries so a
// cyclic list cannot hang the exit.
void HandleFutexDeath(Task& t, u64 uaddr, bool pending) {
  constexpr u32 kWaiters = 0x80000000u, kOwnerDied = 0x40000000u, kTidMask = 0x3fffffffu;
  if ((uaddr & 3) != 0) return;
  u32 word = 0;
  if (mm::CopyFromUser(&word, uaddr, sizeof(word)).is_error()) return;
  if ((word & kTidMask) != static_cast<u32>(t.tid())) {
    // A pending lock that was never taken (owner 0) still wakes a waiter, as Linux does.
    if (pending && (word & kTidMask) == 0 && (word & kWaiters) != 0) {
      (void)futex::Wake(t, uaddr, /*is_private=*/false, 1, futex::kBitsetMatchAny);
    }
    return;
  }
  u32 next = (word & kWaiters) | kOwnerDied;
  if (mm::CopyToUser(uaddr, &next, sizeof(next)).is_error()) return;
  if ((word & kWaiters) != 0) {
    (void)futex::Wake(t, uaddr, /*is_private=*/false, 1, futex::kBitsetMatchAny);
  }
}

void ExitRobustList(Task& t) {
  constexpr int kRobustListLimit = 2048;
  const u64 head = t.robust_list_head_;
  if (head == 0) return;
  struct {
    u64 next;
    i64 futex_offset;
    u64 pending;
  } h;
  if (mm::CopyFromUser(&h, head, sizeof(h)).is_error()) return;
  // Entries carry a PI flag in bit 0 of their pointers.
  u64 entry = h.next;
  const u64 pending = h.pending & ~u64{1};
  for (int i = 0; i < kRobustListLimit && (entry & ~u64{1}) != head; ++i) {
    u64 e = entry & ~u64{1};
    u64 next = 0;
    if (mm::CopyFromUser(&next, e, sizeof(next)).is_error()) return;
    if (e != pending) HandleFutexDeath(t, e + static_cast<u64>(h.futex_offset), false);
    entry = next;
  }
  if (pending != 0) HandleFutexDeath(t, pending + static_cast<u64>(h.futex_offset), true);
}

// Everything a thread holds that others may be waiting for, in Linux's order (mm_release,
// exit_mm, exit_files, exit_fs).
void ReleaseThreadResources(Task& t) {
  ReleaseMm(t);
  ReleaseVforkParent(t);
  t.SetAddressSpace(nullptr);
  // exit_files, exit_fs: the last reference closes every descriptor.
  t.set_fd_table(nullptr);
  t.set_fs_context(nullptr);
}

// Threads are told to die the way the signal code does it: killed, interrupted, and woken
// even from a job-control stop.
void KillThread(Task& t) {
  t.set_killed();
  signal::RecalcInterrupt(t);
  if (t.state() == TaskState::kStopped) sched::MakeRunnable(t);
  sched::Wake(t);
}

void ProcessDied(Process& p) {
  const int status = p.group_exiting() ? p.signals().group_exit_status : p.leader()->exit_code_;
  // Linux's do_exit for the last thread (exit_itimers): no timer of a dead process may fire.
  time::ReleaseProcessTimers(p);
  // Children go to init; zombies among them wake init's wait.
  tty::OnProcessExit(p);
  // The new parent is the nearest living ancestor that is a child subreaper, else init
  // (Linux's find_new_reaper).
  Process* init = FindProcess(1);
  // A dead init (a zombie until the machine stops, or in a test) adopts nobody: its zombie
  // may be freed at any time (it is among the orphans).
  if (init == &p || (init != nullptr && init->exited())) init = nullptr;
  for (Process* a = p.parent(); a != nullptr && a != init; a = a->parent()) {
    if (a->child_subreaper() && !a->exited() && !a->group_exiting()) {
      init = a;
      break;
    }
  }
  auto& children = ProcessInternals::Children(p);
  bool woke_init = false;
  while (Process* c = children.PopFront()) {
    ProcessInternals::SetParent(*c, nullptr);
    // "We don't want people slaying init": an adopted child signals SIGCHLD whatever its
    // clone asked for (reparent_leader).
    c->set_exit_signal(kSigChld);
    if (c->leader() != nullptr && c->leader()->pdeath_signal_ != 0 && !c->exited()) {
      // PR_SET_PDEATHSIG: as from the kernel (SI_USER, pid 0) [man 2 prctl].
      signal::SigInfo info;
      info.signo = c->leader()->pdeath_signal_;
      (void)signal::SendToProcess(*c, info);
    }
    if (init != nullptr) {
      ProcessInternals::AddChild(*init, *c);
      tty::OnReparented(*c);
      if (c->exited()) woke_init = true;
    } else if (c->exited()) {
      g_orphans.PushBack(*c);
    }
  }
  if (woke_init) init->child_wait().WakeAll();

  ProcessInternals::BecomeZombie(p, status);
  Process* parent = p.parent();
  if (parent != nullptr) {
    bool reap_now = false;
    // Only SIGCHLD's disposition can auto-reap; another exit signal (or none) always
    // leaves a zombie for wait4 with __WCLONE/__WALL (do_notify_parent).
    if (p.exit_signal() == kSigChld) reap_now = signal::ParentAutoReaps(*parent);
    signal::NotifyParentExit(p, status, p.exit_signal());  // and the parent's wait4 wakes
    if (reap_now) {
      // SIGCHLD ignored or SA_NOCLDWAIT: nobody will wait for it [man 2 wait, NOTES].
      ProcessInternals::RemoveChild(*parent, p);
      g_orphans.PushBack(p);
      parent->child_wait().WakeAll();
    }
  } else {
    g_orphans.PushBack(p);
  }
  if (p.pid() == 1) {
    // The test init's contract with the harness: PID 1's status is the machine's.
    int code = (status & 0x7f) != 0 ? 128 + (status & 0x7f) : (status >> 8) & 0xff;
    LOG_INFO("init (pid 1) exited with status %d: stopping the machine\n", code);
    hal::Power::Exit(code);
  }
}

bool StackReleased(const Task& t) { return t.state() == TaskState::kDead && !t.has_kernel_stack(); }

void WakeWaitingParent(Process& parent) { parent.child_wait().WakeAll(); }

// The signal code tells proc when a child stops, continues or exits (signal::WakeChildWaiters).
struct ChildStateHookInstaller {
  ChildStateHookInstaller() { signal::SetChildStateHook(&WakeWaitingParent); }
} g_install_child_state_hook;

}  // namespace

void ReleaseMm(Task& t) {
  // Robust futexes first, then the clear-tid word.
  if (t.address_space() != nullptr) ExitRobustList(t);
  t.robust_list_head_ = 0;
  if (t.clear_child_tid_ != 0 && t.address_space() != nullptr &&
      t.address_space()->ref_count_for_debug() > 1) {
    // The CLONE_CHILD_CLEARTID contract: zero the tid word and wake one waiter, as
    // pthread_join expects [man 2 set_tid_address]. Faults are ignored, as on Linux.
    u32 zero = 0;
    if (mm::CopyToUser(t.clear_child_tid_, &zero, sizeof(zero)).ok()) {
      (void)futex::Wake(t, t.clear_child_tid_, /*is_private=*/false, 1, futex::kBitsetMatchAny);
    }
  }
  t.clear_child_tid_ = 0;
}

void ReleaseVforkParent(Task& task) {
  if (VforkDone* v = task.vfork_done_; v != nullptr) {
    task.vfork_done_ = nullptr;
    v->done = true;
    v->queue.WakeAll();
  }
}

void ExitThread(Task& current, int wait_status) {
  Process* p = current.process();
  current.exit_code_ = wait_status;
  ReleaseThreadResources(current);
  if (p == nullptr) sched::ExitCurrent();
  // The thread's CPU time stays with the process (its times and its parent's RUSAGE_CHILDREN).
  time::AccountThreadExit(current);
  ProcessInternals::ThreadExited(*p);
  p->thread_exit_wait().WakeAll();
  if (&current != p->leader()) {
    // A thread other than the leader is gone as soon as it is off the CPU: nobody waits for
    // it (threads are not children), so its tid is free now and its Task soon.
    ProcessInternals::RemoveThread(*p, current);
    ReleasePid(current.tid());
    current.set_process(nullptr);
    g_dead_threads.PushBack(current);
  }
  if (p->live_threads() == 0) ProcessDied(*p);
  sched::ExitCurrent();
}

void Process::ExitGroup(Task& current, int wait_status) {
  Process* p = current.process();
  {
    hal::IrqGuard guard;
    signal::ProcessSignals& ps = p->signals();
    if (!ps.group_exit) {
      ps.group_exit = true;
      ps.group_exit_status = wait_status;
    }
    p->ForEachThread([&](Task& t) {
      if (&t != &current && t.state() != TaskState::kDead) KillThread(t);
    });
  }
  ExitThread(current, p->signals().group_exit_status);
}

void KillProcess(Process& p, int wait_status) {
  if (p.exited()) return;
  hal::IrqGuard guard;
  if (!p.signals().group_exit) {
    p.signals().group_exit = true;
    p.signals().group_exit_status = wait_status;
  }
  p.ForEachThread([](Task& t) {
    if (t.state() != TaskState::kDead) KillThread(t);
  });
}

void ReapZombie(Process& zombie) {
  if (Process* parent = zombie.parent(); parent != nullptr) {
    ProcessInternals::RemoveChild(*parent, zombie);
  }
  Process::Destroy(&zombie);
}

void TakeOverLeader(Task& current) {
  Process* p = current.process();
  Task* old = p->leader();
  if (old == &current) return;
  const Pid pid = old->tid();
  ReleasePid(current.tid());
  RebindPid(pid, current);
  current.start_time_ns_ = old->start_time_ns_;
  ProcessInternals::SetLeader(*p, current);
  ProcessInternals::RemoveThread(*p, *old);
  old->set_process(nullptr);
  old->set_tid(0);
  g_dead_threads.PushBack(*old);
}

void ReapDeadThreads() {
  for (auto it = g_dead_threads.begin(); it != g_dead_threads.end();) {
    Task& t = *it;
    ++it;
    if (!StackReleased(t)) continue;
    g_dead_threads.Remove(t);
    Task::Destroy(&t);
  }
  for (auto it = g_orphans.begin(); it != g_orphans.end();) {
    Process& p = *it;
    ++it;
    if (!StackReleased(*p.leader())) continue;
    g_orphans.Remove(p);
    Process::Destroy(&p);
  }
}

bool DestroyAllProcessesForTesting() {
  ReapDeadThreads();
  for (;;) {
    // Unlink every zombie from wherever it is, then free them all.
    ForEachTask(
        [](Task& t, void*) {
          Process* p = t.process();
          if (p == nullptr || p->leader() != &t || !p->exited()) return;
          if (Process* parent = p->parent(); parent != nullptr) {
            ProcessInternals::RemoveChild(*parent, *p);
          } else if (p->sibling_node_.linked()) {
            g_orphans.Remove(*p);
          }
        },
        nullptr);
    Process::SiblingList doomed;
    ForEachTask(
        [](Task& t, void* ctx) {
          Process* p = t.process();
          if (p != nullptr && p->leader() == &t && p->exited() && !p->sibling_node_.linked()) {
            static_cast<Process::SiblingList*>(ctx)->PushBack(*p);
          }
        },
        &doomed);
    if (doomed.empty()) break;
    while (Process* p = doomed.PopFront()) Process::Destroy(p);
  }
  ReapDeadThreads();
  return TaskCount() == 0;
}

}  // namespace kernel::proc
