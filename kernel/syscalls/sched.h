#pragma once
// Scheduling system calls: yielding, nice values, policies, affinity [kernel/syscalls/sched.cc].
// There is one CPU and one policy that is really scheduled (round robin, docs/architecture.md);
// nice values, policies and affinity masks are recorded, checked and reported as Linux does so
// that programs which set them see what they expect.
#include "kernel/proc/task.h"
#include "kernel/syscalls/args.h"

namespace kernel::syscalls {

Result<void> sys_sched_yield(proc::Task& task);
Result<i64> sys_getpriority(proc::Task& task, int which, int who);
Result<void> sys_setpriority(proc::Task& task, int which, int who, int nice);
Result<i64> sys_sched_getscheduler(proc::Task& task, int pid);
Result<void> sys_sched_setscheduler(proc::Task& task, int pid, int policy, UserIn<i32> param);
Result<void> sys_sched_getparam(proc::Task& task, int pid, UserOut<i32> param);
Result<void> sys_sched_setparam(proc::Task& task, int pid, UserIn<i32> param);
Result<i64> sys_sched_get_priority_max(proc::Task& task, int policy);
Result<i64> sys_sched_get_priority_min(proc::Task& task, int policy);
Result<void> sys_sched_rr_get_interval(proc::Task& task, int pid, UserOut<u8> interval);
Result<i64> sys_sched_getaffinity(proc::Task& task, int pid, u32 len, UserOut<u8> mask);
Result<void> sys_sched_setaffinity(proc::Task& task, int pid, u32 len, UserIn<u8> mask);
Result<void> sys_getcpu(proc::Task& task, UserOut<u32> cpu, UserOut<u32> node, u64 cache);

// clang-format off
#define ARAMID_SYSCALLS_SCHED(X)   \
  X(24, sched_yield)               \
  X(140, getpriority)              \
  X(141, setpriority)              \
  X(142, sched_setparam)           \
  X(143, sched_getparam)           \
  X(144, sched_setscheduler)       \
  X(145, sched_getscheduler)       \
  X(146, sched_get_priority_max)   \
  X(147, sched_get_priority_min)   \
  X(148, sched_rr_get_interval)    \
  X(203, sched_setaffinity)        \
  X(204, sched_getaffinity)        \
  X(309, getcpu)
// clang-format on

}  // namespace kernel::syscalls
