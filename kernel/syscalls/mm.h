#pragma once
// Memory-mapping system calls [kernel/syscalls/mm.cc].
#include "kernel/proc/task.h"
#include "kernel/syscalls/args.h"

namespace kernel::syscalls {

Result<VirtAddr> sys_mmap(proc::Task& task, VirtAddr addr, u64 length, Hex prot, Hex flags, Fd fd,
                          u64 offset);
Result<void> sys_munmap(proc::Task& task, VirtAddr addr, u64 length);
Result<void> sys_mprotect(proc::Task& task, VirtAddr addr, u64 length, Hex prot);
Result<VirtAddr> sys_mremap(proc::Task& task, VirtAddr old_addr, u64 old_length, u64 new_length,
                            Hex flags, VirtAddr new_addr);
Result<void> sys_madvise(proc::Task& task, VirtAddr addr, u64 length, int advice);
Result<VirtAddr> sys_brk(proc::Task& task, VirtAddr addr);
Result<void> sys_msync(proc::Task& task, VirtAddr addr, u64 length, Hex flags);
Result<void> sys_mlock(proc::Task& task, VirtAddr addr, u64 length);
Result<void> sys_munlock(proc::Task& task, VirtAddr addr, u64 length);
Result<void> sys_mlockall(proc::Task& task, Hex flags);
Result<void> sys_munlockall(proc::Task& task);
Result<void> sys_mincore(proc::Task& task, VirtAddr addr, u64 length, UserOut<u8> vec);
Result<void> sys_mlock2(proc::Task& task, VirtAddr addr, u64 length, Hex flags);

// clang-format off
#define ARAMID_SYSCALLS_MM(X) \
  X(9, mmap)                  \
  X(10, mprotect)             \
  X(11, munmap)               \
  X(12, brk)                  \
  X(25, mremap)               \
  X(26, msync)                \
  X(27, mincore)              \
  X(28, madvise)              \
  X(149, mlock)               \
  X(150, munlock)             \
  X(151, mlockall)            \
  X(152, munlockall)          \
  X(325, mlock2)
// clang-format on

}  // namespace kernel::syscalls
