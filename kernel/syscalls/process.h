#pragma once
// Process-lifecycle system calls [kernel/syscalls/process.cc].
#include "kernel/proc/task.h"
#include "kernel/syscalls/args.h"

namespace kernel::syscalls {

using proc::Task;

Result<int> sys_getpid(Task& task);
Result<int> sys_gettid(Task& task);
Result<int> sys_getppid(Task& task);
Result<void> sys_exit(Task& task, int status);
Result<void> sys_exit_group(Task& task, int status);
Result<int> sys_fork(Task& task);
Result<int> sys_vfork(Task& task);
Result<int> sys_clone(Task& task, Hex flags, VirtAddr stack, UserOut<i32> parent_tid,
                      UserOut<i32> child_tid, Hex tls);
Result<int> sys_clone3(Task& task, UserIn<u8> args, u64 size);
Result<int> sys_wait4(Task& task, int pid, UserOut<int> status, Hex options, UserOut<u8> rusage);
Result<void> sys_waitid(Task& task, int idtype, int id, UserOut<u8> infop, Hex options,
                        UserOut<u8> rusage);
Result<int> sys_set_tid_address(Task& task, UserOut<i32> tidptr);
Result<void> sys_unshare(Task& task, Hex flags);
Result<void> sys_set_robust_list(Task& task, UserIn<u8> head, u64 len);
Result<void> sys_get_robust_list(Task& task, int pid, UserOut<u64> head, UserOut<u64> len);

// clang-format off
#define ARAMID_SYSCALLS_PROCESS(X) \
  X(39, getpid)                    \
  X(186, gettid)                   \
  X(110, getppid)                  \
  X(60, exit)                      \
  X(231, exit_group)               \
  X(56, clone)                     \
  X(57, fork)                      \
  X(58, vfork)                     \
  X(61, wait4)                     \
  X(247, waitid)                   \
  X(218, set_tid_address)          \
  X(272, unshare)                  \
  X(273, set_robust_list)          \
  X(274, get_robust_list)          \
  X(435, clone3)
// clang-format on

}  // namespace kernel::syscalls
