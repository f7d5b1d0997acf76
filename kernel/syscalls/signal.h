#pragma once
// Signal system calls [kernel/syscalls/signal.cc].
#include "kernel/proc/task.h"
#include "kernel/signal/abi.h"
#include "kernel/syscalls/args.h"
#include "kernel/time/timespec.h"

namespace kernel::syscalls {

using proc::Task;
using signal::KSigaction;
using signal::SigInfo;
using signal::StackT;

Result<void> sys_rt_sigaction(Task& task, int sig, UserIn<KSigaction> act, UserOut<KSigaction> oact,
                              usize sigsetsize);
Result<void> sys_rt_sigprocmask(Task& task, int how, UserIn<u64> set, UserOut<u64> oset,
                                usize sigsetsize);
Result<void> sys_rt_sigpending(Task& task, UserOut<u64> set, usize sigsetsize);
Result<void> sys_rt_sigsuspend(Task& task, UserIn<u64> mask, usize sigsetsize);
Result<int> sys_rt_sigtimedwait(Task& task, UserIn<u64> set, UserOut<SigInfo> info,
                                UserIn<time::Timespec> timeout, usize sigsetsize);
Result<void> sys_rt_sigqueueinfo(Task& task, int pid, int sig, UserIn<SigInfo> info);
Result<void> sys_rt_tgsigqueueinfo(Task& task, int tgid, int tid, int sig, UserIn<SigInfo> info);
Result<void> sys_sigaltstack(Task& task, UserIn<StackT> ss, UserOut<StackT> oss);
Result<void> sys_kill(Task& task, int pid, int sig);
Result<void> sys_tkill(Task& task, int tid, int sig);
Result<void> sys_tgkill(Task& task, int tgid, int tid, int sig);
Result<i64> sys_rt_sigreturn(Task& task);
Result<i64> sys_restart_syscall(Task& task);
Result<void> sys_pause(Task& task);

// clang-format off
#define ARAMID_SYSCALLS_SIGNAL(X) \
  X(13, rt_sigaction)             \
  X(14, rt_sigprocmask)           \
  X(127, rt_sigpending)           \
  X(130, rt_sigsuspend)           \
  X(128, rt_sigtimedwait)         \
  X(129, rt_sigqueueinfo)         \
  X(297, rt_tgsigqueueinfo)       \
  X(131, sigaltstack)             \
  X(62, kill)                     \
  X(200, tkill)                   \
  X(234, tgkill)                  \
  X(15, rt_sigreturn)             \
  X(219, restart_syscall)         \
  X(34, pause)
// clang-format on

}  // namespace kernel::syscalls
