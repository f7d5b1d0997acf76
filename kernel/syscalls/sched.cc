#include "kernel/syscalls/sched.h"

#include "kernel/proc/pid_table.h"
#include "kernel/proc/process.h"
#include "kernel/proc/scheduler.h"
#include "kernel/tty/session.h"

namespace kernel::syscalls {
namespace {

constexpr int kPrioProcess = 0, kPrioPgrp = 1, kPrioUser = 2;
constexpr int kMinNice = -20, kMaxNice = 19;
constexpr int kSchedOther = 0, kSchedFifo = 1, kSchedRr = 2, kSchedBatch = 3, kSchedIdle = 5,
              kSchedDeadline = 6;
constexpr int kSchedResetOnFork = 0x40000000;

bool IsRealTime(int policy) { return policy == kSchedFifo || policy == kSchedRr; }
bool IsValidPolicy(int policy) {
  return policy == kSchedOther || IsRealTime(policy) || policy == kSchedBatch ||
         policy == kSchedIdle;
}

// The task a pid argument names: 0 is the caller; negative is EINVAL; unknown ESRCH.
Result<proc::Task*> TaskFor(proc::Task& self, int pid) {
  if (pid < 0) return Errno::kEINVAL;
  if (pid == 0) return &self;
  proc::Task* t = proc::FindTask(pid);
  if (t == nullptr) return Errno::kESRCH;
  return t;
}

// Calls f(Task&) for every thread `which`/`who` selects (Linux's getpriority/setpriority
// walks); returns whether any matched. EINVAL for a bad `which`.
template <typename F>
Result<bool> ForEachSelected(proc::Task& self, int which, int who, F&& f) {
  bool any = false;
  switch (which) {
    case kPrioProcess: {
      proc::Task* t = who == 0 ? &self : proc::FindTask(who);
      if (t != nullptr) {
        any = true;
        f(*t);
      }
      break;
    }
    case kPrioPgrp: {
      proc::Pid pgid = who == 0 ? self.process()->pgid() : who;
      tty::ProcessGroup* g = tty::FindGroup(pgid);
      if (g != nullptr) {
        g->ForEachMember([&](proc::Process& p) {
          p.ForEachThread([&](proc::Task& t) {
            any = true;
            f(t);
          });
        });
      }
      break;
    }
    case kPrioUser: {
      u32 uid = who == 0 ? self.credentials().uid : static_cast<u32>(who);
      tty::ForEachProcess([&](proc::Process& p) {
        p.ForEachThread([&](proc::Task& t) {
          if (t.credentials().uid == uid) {
            any = true;
            f(t);
          }
        });
      });
      break;
    }
    default:
      return Errno::kEINVAL;
  }
  return any;
}

// Linux's set_one_prio: another user's task needs privilege (EPERM); lowering the nice value
// needs CAP_SYS_NICE or room under RLIMIT_NICE (EACCES).
Result<void> SetOnePriority(proc::Task& self, proc::Task& t, int nice) {
  const auto& me = self.credentials();
  const bool privileged = me.euid == 0;
  if (t.credentials().uid != me.euid && t.credentials().euid != me.euid && !privileged) {
    return Errno::kEPERM;
  }
  if (nice < t.nice_ && !privileged) {
    u64 wanted = static_cast<u64>(20 - nice);
    if (wanted > self.process()->rlimits().limits[proc::rlimit::kNice].cur) return Errno::kEACCES;
  }
  t.nice_ = nice;
  return Ok();
}

}  // namespace

// int sched_yield(void);  [man 2 sched_yield]
Result<void> sys_sched_yield(proc::Task&) {
  proc::sched::Yield();
  return Ok();
}

// int getpriority(int which, id_t who);  [man 2 getpriority] The raw call returns 20 - nice
// (1..40) so that no success looks like an error; libc converts it back.
Result<i64> sys_getpriority(proc::Task& task, int which, int who) {
  i64 best = 0;
  bool any = TRY(ForEachSelected(task, which, who, [&](proc::Task& t) {
    i64 v = 20 - t.nice_;
    if (v > best) best = v;
  }));
  if (!any) return Errno::kESRCH;
  return best;
}

// int setpriority(int which, id_t who, int prio);  [man 2 setpriority]
Result<void> sys_setpriority(proc::Task& task, int which, int who, int nice) {
  if (nice < kMinNice) nice = kMinNice;
  if (nice > kMaxNice) nice = kMaxNice;
  Result<void> result = Ok();
  bool any = TRY(ForEachSelected(task, which, who, [&](proc::Task& t) {
    if (auto r = SetOnePriority(task, t, nice); r.is_error()) result = r.error();
  }));
  if (!any) return Errno::kESRCH;
  return result;
}

// int sched_getscheduler(pid_t pid);  [man 2 sched_getscheduler]
Result<i64> sys_sched_getscheduler(proc::Task& task, int pid) {
  proc::Task* t = TRY(TaskFor(task, pid));
  return t->sched_policy_;
}

// int sched_setscheduler(pid_t pid, int policy, const struct sched_param *param);
Result<void> sys_sched_setscheduler(proc::Task& task, int pid, int policy, UserIn<i32> param) {
  if (param.is_null() || pid < 0) return Errno::kEINVAL;
  i32 priority = TRY(param.Read());
  proc::Task* t = TRY(TaskFor(task, pid));
  policy &= ~kSchedResetOnFork;
  if (policy == kSchedDeadline || !IsValidPolicy(policy)) return Errno::kEINVAL;
  if (IsRealTime(policy) ? (priority < 1 || priority > 99) : priority != 0) return Errno::kEINVAL;
  if (IsRealTime(policy) && task.credentials().euid != 0 &&
      task.process()->rlimits().limits[proc::rlimit::kRtprio].cur < static_cast<u64>(priority)) {
    return Errno::kEPERM;
  }
  if (t != &task && task.credentials().euid != 0 &&
      t->credentials().uid != task.credentials().euid &&
      t->credentials().euid != task.credentials().euid) {
    return Errno::kEPERM;
  }
  t->sched_policy_ = policy;
  t->sched_priority_ = priority;
  return Ok();
}

// int sched_getparam(pid_t pid, struct sched_param *param);
Result<void> sys_sched_getparam(proc::Task& task, int pid, UserOut<i32> param) {
  if (param.is_null() || pid < 0) return Errno::kEINVAL;
  proc::Task* t = TRY(TaskFor(task, pid));
  return param.Write(t->sched_priority_);
}

// int sched_setparam(pid_t pid, const struct sched_param *param);
Result<void> sys_sched_setparam(proc::Task& task, int pid, UserIn<i32> param) {
  if (param.is_null() || pid < 0) return Errno::kEINVAL;
  proc::Task* t = TRY(TaskFor(task, pid));
  return sys_sched_setscheduler(task, pid, t->sched_policy_, param);
}

// int sched_get_priority_max(int policy);
Result<i64> sys_sched_get_priority_max(proc::Task&, int policy) {
  if (!IsValidPolicy(policy) && policy != kSchedDeadline) return Errno::kEINVAL;
  return IsRealTime(policy) ? 99 : 0;
}

// int sched_get_priority_min(int policy);
Result<i64> sys_sched_get_priority_min(proc::Task&, int policy) {
  if (!IsValidPolicy(policy) && policy != kSchedDeadline) return Errno::kEINVAL;
  return IsRealTime(policy) ? 1 : 0;
}

// int sched_rr_get_interval(pid_t pid, struct timespec *tp);  The time slice: the
// scheduler's for round robin and normal tasks, 0 for FIFO (which has none).
Result<void> sys_sched_rr_get_interval(proc::Task& task, int pid, UserOut<u8> interval) {
  proc::Task* t = TRY(TaskFor(task, pid));
  i64 ts[2] = {0, 0};
  if (t->sched_policy_ != kSchedFifo) {
    ts[1] = static_cast<i64>(proc::sched::kTimeSliceTicks) * (1'000'000'000 / proc::sched::kTickHz);
  }
  return interval.WriteBytes(ts, sizeof(ts));
}

// int sched_getaffinity(pid_t pid, size_t cpusetsize, cpu_set_t *mask);  The raw call returns
// the size of the kernel's mask (8 bytes: one unsigned long), which must fit in `len`, a
// multiple of sizeof(long).
Result<i64> sys_sched_getaffinity(proc::Task& task, int pid, u32 len, UserOut<u8> mask) {
  constexpr u32 kMaskBytes = 8;
  if (len * 8 < 1 || (len & (sizeof(u64) - 1)) != 0) return Errno::kEINVAL;
  TRY(TaskFor(task, pid));
  u64 cpus = 1;  // CPU 0
  TRY(mask.WriteBytes(&cpus, kMaskBytes));
  return kMaskBytes;
}

// int sched_setaffinity(pid_t pid, size_t cpusetsize, const cpu_set_t *mask);  A mask without
// CPU 0 names no CPU this machine has: EINVAL.
Result<void> sys_sched_setaffinity(proc::Task& task, int pid, u32 len, UserIn<u8> mask) {
  TRY(TaskFor(task, pid));
  if (len == 0) return Errno::kEINVAL;
  u8 first = 0;
  TRY(mask.ReadBytes(&first, 1));
  if ((first & 1) == 0) return Errno::kEINVAL;
  return Ok();
}

// int getcpu(unsigned *cpu, unsigned *node, struct getcpu_cache *tcache);  [man 2 getcpu]
// One CPU on one node, so both are 0. Linux tries both stores even when the first faults,
// then answers EFAULT; the cache argument has been unused since 2.6.24.
Result<void> sys_getcpu(proc::Task&, UserOut<u32> cpu, UserOut<u32> node, u64) {
  bool fault = false;
  if (!cpu.is_null()) fault = cpu.Write(0).is_error();
  if (!node.is_null()) fault = node.Write(0).is_error() || fault;
  if (fault) return Errno::kEFAULT;
  return Ok();
}

}  // namespace kernel::syscalls
