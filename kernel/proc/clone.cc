#include "kernel/proc/clone.h"

#include <hal/cpu.h>

#include "kernel/fs/credentials.h"
#include "kernel/fs/fd_table.h"
#include "kernel/fs/fs_context.h"
#include "kernel/mm/address_space.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/user_ptr.h"
#include "kernel/proc/exit.h"
#include "kernel/proc/pid_table.h"
#include "kernel/proc/process.h"
#include "kernel/proc/scheduler.h"
#include "kernel/proc/user_loop.h"
#include "kernel/signal/deliver.h"
#include "kernel/time/timer.h"

namespace kernel::proc {
namespace {

// The first code a clone child runs, on its own kernel stack with its address space active.
void ChildEntry(void*) {
  Task& self = *sched::Current();
  if (self.set_child_tid_ != 0) {
    // CLONE_CHILD_SETTID: written by the child, in the child's memory (schedule_tail).
    i32 tid = self.tid();
    (void)mm::CopyToUser(self.set_child_tid_, &tid, sizeof(tid));
  }
  RunUserLoop(self);
}

Result<void> CheckFlags(const Task& parent, const CloneArgs& args) {
  using namespace clone_flags;
  const u64 f = args.flags;
  // The combinations Linux refuses [linux kernel/fork.c copy_process].
  if ((f & (kNewNs | kFs)) == (kNewNs | kFs)) return Errno::kEINVAL;
  if ((f & (kNewUser | kFs)) == (kNewUser | kFs)) return Errno::kEINVAL;
  if ((f & kThread) != 0 && (f & kSighand) == 0) return Errno::kEINVAL;
  if ((f & kSighand) != 0 && (f & kVm) == 0) return Errno::kEINVAL;
  if ((f & kParent) != 0 && parent.process()->pid() == 1) return Errno::kEINVAL;
  if ((f & kPidfd) != 0 && (f & (kDetached | kThread)) != 0) return Errno::kEINVAL;
  // Not in this kernel: namespaces, pidfds, cgroups. Refused rather than ignored, so a
  // program that relies on them learns at once.
  if ((f & ((kNamespaces & ~kNewNs) | kPidfd | kIntoCgroup)) != 0) return Errno::kEINVAL;
  if ((f & kNewNs) != 0 && !fs::CredentialsOf(parent).Has(fs::Cap::kSysAdmin)) return Errno::kEPERM;
  if ((f & kSettls) != 0 && args.tls >= mm::kTaskSize) return Errno::kEPERM;
  return Ok();
}

// CLONE_FILES shares the fd table, otherwise the child gets a copy (dup_fd); CLONE_FS
// likewise the root, cwd and umask (copy_fs). Kernel tasks have neither.
Result<void> CloneFiles(Task& parent, Task& child, u64 f) {
  if (parent.fd_table()) {
    child.set_fd_table((f & clone_flags::kFiles) != 0 ? parent.fd_table()
                                                      : TRY(parent.fd_table()->Clone()));
  }
  if (parent.fs_context()) {
    child.set_fs_context((f & clone_flags::kFs) != 0 ? parent.fs_context()
                                                     : TRY(parent.fs_context()->Clone()));
    // CLONE_NEWNS excludes CLONE_FS (CheckFlags), so the context is the child's own.
    if ((f & clone_flags::kNewNs) != 0) TRY(child.fs_context()->UnshareNamespace());
  }
  return Ok();
}

}  // namespace

// clone3's set_tid as alloc_pid checks it, for the one pid namespace this kernel has: the
// id to use, or 0 for the next free one.
Result<Pid> ChosenTid(const Task& parent, const CloneArgs& args, const i32* set_tid) {
  if (args.set_tid_size == 0) return Pid{0};
  if (args.set_tid_size > 1) return Errno::kEINVAL;  // more levels than namespaces
  const i32 tid = set_tid[0];
  if (tid < 1 || tid >= kPidMax) return Errno::kEINVAL;
  // checkpoint_restore_ns_capable: CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE, which here is
  // being root.
  if (parent.credentials().euid != 0) return Errno::kEPERM;
  return Pid{tid};
}

Result<void> Unshare(Task& task, u64 flags) {
  using namespace clone_flags;
  constexpr u64 kKnown = kThread | kFs | kNewNs | kSighand | kVm | kFiles | kSysvsem | kNewUts |
                         kNewIpc | kNewNet | kNewUser | kNewPid | kNewCgroup | kNewTime;
  u64 f = flags;
  if ((f & ~kKnown) != 0) return Errno::kEINVAL;
  // What each flag brings along, then check_unshare_flags [linux kernel/fork.c ksys_unshare].
  if (f & kNewUser) f |= kThread | kFs;
  if (f & kVm) f |= kSighand;
  if (f & kSighand) f |= kThread;
  if (f & kNewNs) f |= kFs;
  const Process& p = *task.process();
  if ((f & (kThread | kSighand | kVm)) != 0 && p.live_threads() > 1) return Errno::kEINVAL;
  if ((f & (kSighand | kVm)) != 0 && task.signals().handlers &&
      task.signals().handlers->ref_count_for_debug() > 1) {
    return Errno::kEINVAL;
  }
  if ((f & ((kNamespaces | kNewTime) & ~kNewNs)) != 0) return Errno::kEINVAL;
  if ((f & kNewNs) != 0 && !fs::CredentialsOf(task).Has(fs::Cap::kSysAdmin)) return Errno::kEPERM;

  // Build everything first, so that ENOMEM leaves the task as it was.
  lib::RefPtr<fs::FsContext> fs;
  const lib::RefPtr<fs::FsContext>& old_fs = task.fs_context();
  if (old_fs && (f & kFs) != 0 && (old_fs->ref_count_for_debug() > 1 || (f & kNewNs) != 0)) {
    fs = TRY(old_fs->Clone());
    if ((f & kNewNs) != 0) TRY(fs->UnshareNamespace());
  }
  lib::RefPtr<fs::FdTable> files;
  const lib::RefPtr<fs::FdTable>& old_files = task.fd_table();
  if (old_files && (f & kFiles) != 0 && old_files->ref_count_for_debug() > 1) {
    files = TRY(old_files->Clone());
  }
  if (fs) task.set_fs_context(lib::move(fs));
  if (files) task.set_fd_table(lib::move(files));
  return Ok();
}

Result<Pid> Clone(Task& parent, const CloneArgs& args, const i32* set_tid) {
  using namespace clone_flags;
  TRY(CheckFlags(parent, args));
  const Pid chosen = TRY(ChosenTid(parent, args, set_tid));
  const u64 f = args.flags;
  Process* parent_process = parent.process();
  ReapDeadThreads();

  lib::RefPtr<mm::AddressSpace> as;
  if ((f & kVm) != 0) {
    as = lib::RefPtr<mm::AddressSpace>(parent.address_space());
  } else if (parent.address_space() != nullptr) {
    as = TRY(parent.address_space()->Fork());
  }
  Task* child = TRY(Task::Create(parent.name(), &ChildEntry, nullptr));
  child->address_space_ = lib::move(as);
  // The parent's live FPU state is in the CPU: save it so the child inherits it.
  hal::Cpu::SaveFpu(parent.user_context());
  child->user_context() = parent.user_context();
  hal::UserRegs& regs = child->user_context().regs;
  regs.rax = 0;
  if (args.stack != 0) regs.rsp = args.stack;
  if ((f & kSettls) != 0) regs.fs_base = args.tls;
  child->start_time_ns_ = time::MonotonicNs();
  child->credentials() = parent.credentials();
  child->nice_ = parent.nice_;
  child->dumpable_ = parent.dumpable_;
  child->sched_policy_ = parent.sched_policy_;
  child->sched_priority_ = parent.sched_priority_;
  child->no_new_privs_ = parent.no_new_privs_;
  // The fd table and the fs context (root, cwd, umask) shared or copied, as the flags say.
  if (auto r = CloneFiles(parent, *child, f); r.is_error()) {
    Task::Destroy(child);
    return r.error();
  }
  // Signal handlers shared (CLONE_SIGHAND) or copied, the mask inherited.
  if (auto r = signal::OnClone(parent, *child, f); r.is_error()) {
    Task::Destroy(child);
    return r.error();
  }

  // The id: the one clone3's set_tid chose, else the next free one (for a new process,
  // Process::Create allocates it).
  Result<Pid> id = Pid{0};
  if (chosen != 0) {
    id = AllocatePidExactly(*child, chosen);
  } else if ((f & kThread) != 0) {
    id = AllocatePid(*child);
  }
  if (id.is_error()) {
    Task::Destroy(child);
    return id.error();
  }
  if ((f & kThread) != 0) {
    ProcessInternals::AddThread(*parent_process, *child);
  } else {
    Process* owner = (f & kParent) != 0 ? parent_process->parent() : parent_process;
    auto created = Process::Create(*child, owner);
    if (created.is_error()) {
      if (child->tid() != 0) ReleasePid(child->tid());
      Task::Destroy(child);
      return created.error();
    }
    // A CLONE_PARENT child signals its new parent as its caller does (clone3 requires
    // exit_signal 0 with it, legacy clone's low byte is ignored) [linux copy_process].
    created.value()->set_exit_signal((f & kParent) != 0 ? parent_process->exit_signal()
                                                        : static_cast<int>(args.exit_signal));
  }
  const Pid tid = child->tid();
  if ((f & kChildCleartid) != 0) child->clear_child_tid_ = args.child_tid;
  if ((f & kChildSettid) != 0) child->set_child_tid_ = args.child_tid;
  if ((f & kParentSettid) != 0) {
    // Into the parent's memory; a bad pointer is ignored, as on Linux.
    (void)mm::CopyToUser(args.parent_tid, &tid, sizeof(tid));
  }
  VforkDone vfork;
  if ((f & kVfork) != 0) child->vfork_done_ = &vfork;
  sched::MakeRunnable(*child);

  if ((f & kVfork) != 0) {
    // Sleep until the child execs or exits; only being killed ends the wait early (Linux's
    // killable wait_for_vfork_done).
    vfork.queue.Wait([&] { return vfork.done || parent.killed(); });
    if (!vfork.done) child->vfork_done_ = nullptr;  // not done, so the child is still alive
  }
  return tid;
}

}  // namespace kernel::proc
