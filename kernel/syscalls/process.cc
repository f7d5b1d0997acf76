#include "kernel/syscalls/process.h"

#include "kernel/proc/clone.h"
#include "kernel/proc/exit.h"
#include "kernel/proc/pid_table.h"
#include "kernel/proc/process.h"
#include "kernel/proc/wait.h"
#include "kernel/syscalls/time_ext.h"

namespace kernel::syscalls {
namespace {

using namespace proc::clone_flags;
namespace wo = proc::wait_options;

constexpr usize kCloneArgsSizeVer0 = 64;
constexpr usize kCloneArgsSizeVer2 = 88;
constexpr u64 kMaxPidNsLevel = 32;
constexpr u64 kNsig = 64;

// The struct rusage of a waited-for child: its CPU times (the rest, maxrss to nivcsw, are not
// accounted here and stay 0).
Result<void> WriteRusage(UserOut<u8> ru, const proc::WaitResult& r) {
  if (ru.is_null()) return Ok();
  Rusage usage{};
  usage.utime = time::ToTimeval(r.user_ns);
  usage.stime = time::ToTimeval(r.system_ns);
  return ru.WriteBytes(&usage, sizeof(usage));
}

}  // namespace

// pid_t getpid(void);   [man 2 getpid]
Result<int> sys_getpid(Task& task) { return task.process()->pid(); }

// pid_t gettid(void);   [man 2 gettid]
Result<int> sys_gettid(Task& task) { return task.tid(); }

// pid_t getppid(void);  [man 2 getppid]
Result<int> sys_getppid(Task& task) {
  proc::Process* parent = task.process()->parent();
  return parent != nullptr ? parent->pid() : 0;
}

// void _exit(int status);  [man 2 exit]: ends the calling thread only.
Result<void> sys_exit(Task& task, int status) {
  proc::ExitThread(task, proc::ExitedStatus(status));
}

// void exit_group(int status);  [man 2 exit_group]
Result<void> sys_exit_group(Task& task, int status) {
  proc::Process::ExitGroup(task, proc::ExitedStatus(status));
}

// pid_t fork(void);  [man 2 fork]
Result<int> sys_fork(Task& task) {
  proc::CloneArgs args;
  args.exit_signal = proc::kSigChld;
  return proc::Clone(task, args);
}

// pid_t vfork(void);  [man 2 vfork]
Result<int> sys_vfork(Task& task) {
  proc::CloneArgs args;
  args.flags = kVm | kVfork;
  args.exit_signal = proc::kSigChld;
  return proc::Clone(task, args);
}

// long clone(unsigned long flags, void *stack, int *parent_tid, int *child_tid,
//            unsigned long tls);  [man 2 clone, the x86_64 argument order]
Result<int> sys_clone(Task& task, Hex flags, VirtAddr stack, UserOut<i32> parent_tid,
                      UserOut<i32> child_tid, Hex tls) {
  proc::CloneArgs args;
  // The low byte is the exit signal; the legacy call ignores CLONE_DETACHED.
  args.flags = flags.value & ~(kCsignal | kDetached) & 0xffffffffull;
  args.exit_signal = flags.value & kCsignal;
  args.stack = stack.value;
  args.parent_tid = parent_tid.addr();
  args.child_tid = child_tid.addr();
  args.tls = tls.value;
  if ((args.flags & kPidfd) != 0 && (args.flags & kParentSettid) != 0) return Errno::kEINVAL;
  return proc::Clone(task, args);
}

// long clone3(struct clone_args *cl_args, size_t size);  [man 2 clone3]
Result<int> sys_clone3(Task& task, UserIn<u8> uargs, u64 size) {
  if (size < kCloneArgsSizeVer0) return Errno::kEINVAL;
  if (size > kPageSize) return Errno::kE2BIG;
  proc::CloneArgs args;
  static_assert(sizeof(args) == kCloneArgsSizeVer2);
  usize known = size < sizeof(args) ? size : sizeof(args);
  TRY(uargs.ReadBytes(&args, known));
  if (size > sizeof(args)) {
    // A newer struct: accepted only if the fields this kernel does not know are zero
    // (copy_struct_from_user).
    u8 chunk[64];
    for (u64 off = sizeof(args); off < size; off += sizeof(chunk)) {
      usize n = size - off < sizeof(chunk) ? size - off : sizeof(chunk);
      TRY(mm::CopyFromUser(chunk, uargs.addr() + off, n));
      for (usize i = 0; i < n; ++i) {
        if (chunk[i] != 0) return Errno::kE2BIG;
      }
    }
  }
  if (args.set_tid_size > kMaxPidNsLevel) return Errno::kEINVAL;
  if ((args.set_tid == 0) != (args.set_tid_size == 0)) return Errno::kEINVAL;
  if ((args.exit_signal & ~kCsignal) != 0 || args.exit_signal > kNsig) return Errno::kEINVAL;
  if ((args.flags & kIntoCgroup) != 0 &&
      (args.cgroup > 0x7fffffffull || size < kCloneArgsSizeVer2)) {
    return Errno::kEINVAL;
  }
  i32 set_tid[kMaxPidNsLevel];
  if (args.set_tid_size != 0) {
    TRY(mm::CopyFromUser(set_tid, args.set_tid, args.set_tid_size * sizeof(set_tid[0])));
  }
  // clone3_args_valid [linux kernel/fork.c].
  if ((args.flags & ~(0xffffffffull | kClearSighand | kIntoCgroup)) != 0) return Errno::kEINVAL;
  if ((args.flags & (kDetached | (kCsignal & ~kNewTime))) != 0) return Errno::kEINVAL;
  if ((args.flags & (kSighand | kClearSighand)) == (kSighand | kClearSighand)) {
    return Errno::kEINVAL;
  }
  if ((args.flags & (kThread | kParent)) != 0 && args.exit_signal != 0) return Errno::kEINVAL;
  if (args.stack == 0) {
    if (args.stack_size != 0) return Errno::kEINVAL;
  } else {
    if (args.stack_size == 0 || !mm::IsUserRange(args.stack, args.stack_size)) {
      return Errno::kEINVAL;
    }
    args.stack += args.stack_size;  // the stack grows down from its end
  }
  return proc::Clone(task, args, set_tid);
}

// pid_t wait4(pid_t pid, int *wstatus, int options, struct rusage *rusage);  [man 2 wait4]
Result<int> sys_wait4(Task& task, int pid, UserOut<int> status, Hex options, UserOut<u8> rusage) {
  const u64 o = options.value & 0xffffffffull;
  if ((o & ~u64{wo::kNoHang | wo::kUntraced | wo::kContinued | wo::kNoThread | wo::kClone |
                wo::kAll}) != 0) {
    return Errno::kEINVAL;
  }
  if (pid == static_cast<int>(0x80000000u)) return Errno::kESRCH;  // -INT_MIN is undefined
  proc::WaitSelector sel;
  if (pid < -1) {
    sel = {proc::WaitSelector::Kind::kPgid, -pid};
  } else if (pid == -1) {
    sel = {proc::WaitSelector::Kind::kAny, 0};
  } else if (pid == 0) {
    sel = {proc::WaitSelector::Kind::kPgid, 0};
  } else {
    sel = {proc::WaitSelector::Kind::kPid, pid};
  }
  proc::WaitResult r = TRY(proc::WaitForChild(task, sel, static_cast<u32>(o) | wo::kExited));
  if (r.pid > 0) {
    // As Linux: the child is reaped even when the status cannot be stored.
    if (!status.is_null()) TRY(status.Write(r.wait_status));
    TRY(WriteRusage(rusage, r));
  }
  return r.pid;
}

// int waitid(idtype_t idtype, id_t id, siginfo_t *infop, int options);  [man 2 waitid]
// (the system call has a fifth argument, struct rusage *).
Result<void> sys_waitid(Task& task, int idtype, int id, UserOut<u8> infop, Hex options,
                        UserOut<u8> rusage) {
  constexpr int kPAll = 0, kPPid = 1, kPPgid = 2, kPPidfd = 3;
  const u64 o = options.value & 0xffffffffull;
  if ((o & ~u64{wo::kNoHang | wo::kNoWait | wo::kExited | wo::kStopped | wo::kContinued |
                wo::kNoThread | wo::kClone | wo::kAll}) != 0) {
    return Errno::kEINVAL;
  }
  if ((o & (wo::kExited | wo::kStopped | wo::kContinued)) == 0) return Errno::kEINVAL;
  proc::WaitSelector sel;
  switch (idtype) {
    case kPAll:
      sel = {proc::WaitSelector::Kind::kAny, 0};
      break;
    case kPPid:
      if (id <= 0) return Errno::kEINVAL;
      sel = {proc::WaitSelector::Kind::kPid, id};
      break;
    case kPPgid:
      if (id < 0) return Errno::kEINVAL;
      sel = {proc::WaitSelector::Kind::kPgid, id};
      break;
    case kPPidfd:
      // TODO(#4): pidfds. Without them every fd is a bad one.
      return Errno::kEBADF;
    default:
      return Errno::kEINVAL;
  }
  auto waited = proc::WaitForChild(task, sel, static_cast<u32>(o));
  proc::WaitResult r = waited.ok() ? waited.value() : proc::WaitResult{};
  if (r.pid > 0) TRY(WriteRusage(rusage, r));
  if (!infop.is_null()) {
    // Linux stores these six fields (and nothing else) whatever happened, even on error
    // [linux kernel/exit.c SYSCALL_DEFINE5(waitid)].
    constexpr int kCldExited = 1, kCldKilled = 2, kCldDumped = 3, kCldStopped = 5,
                  kCldContinued = 6, kSigCont = 18;
    i32 code = 0, status = 0;
    if (r.pid > 0) {
      int s = r.wait_status;
      if (s == 0xffff) {
        code = kCldContinued;
        status = kSigCont;
      } else if ((s & 0xff) == 0x7f) {
        code = kCldStopped;
        status = (s >> 8) & 0xff;
      } else if ((s & 0x7f) == 0) {
        code = kCldExited;
        status = (s >> 8) & 0xff;
      } else {
        code = (s & 0x80) != 0 ? kCldDumped : kCldKilled;
        status = s & 0x7f;
      }
    }
    const i32 fields[] = {r.pid > 0 ? proc::kSigChld : 0, 0, code};
    TRY(infop.WriteBytes(fields, sizeof(fields)));
    const i32 child[] = {r.pid, static_cast<i32>(r.uid), status};
    TRY(mm::CopyToUser(infop.addr() + 16, child, sizeof(child)));
  }
  if (waited.is_error()) return waited.error();
  return Ok();
}

// int unshare(int flags);  [man 2 unshare]
Result<void> sys_unshare(Task& task, Hex flags) {
  return proc::Unshare(task, flags.value & 0xffffffffull);  // an int
}

// pid_t set_tid_address(int *tidptr);  [man 2 set_tid_address]
Result<int> sys_set_tid_address(Task& task, UserOut<i32> tidptr) {
  task.clear_child_tid_ = tidptr.addr();
  return task.tid();
}

// long set_robust_list(struct robust_list_head *head, size_t len);  [man 2 set_robust_list]
Result<void> sys_set_robust_list(Task& task, UserIn<u8> head, u64 len) {
  constexpr u64 kRobustListHeadSize = 24;
  if (len != kRobustListHeadSize) return Errno::kEINVAL;
  // kernel/proc/exit.cc walks the list when the thread exits (ExitRobustList).
  task.robust_list_head_ = head.addr();
  return Ok();
}

// long get_robust_list(int pid, struct robust_list_head **head_ptr, size_t *len_ptr);
Result<void> sys_get_robust_list(Task& task, int pid, UserOut<u64> head, UserOut<u64> len) {
  Task* target = pid == 0 ? &task : proc::FindTask(pid);
  if (target == nullptr) return Errno::kESRCH;
  TRY(head.Write(target->robust_list_head_));
  return len.Write(24);
}

}  // namespace kernel::syscalls
