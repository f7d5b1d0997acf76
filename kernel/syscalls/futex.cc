#include "kernel/syscalls/futex.h"

#include "kernel/proc/futex.h"

namespace kernel::syscalls {

// long futex(uint32_t *uaddr, int futex_op, uint32_t val, const struct timespec *timeout,
//            /* or: uint32_t val2 */ uint32_t *uaddr2, uint32_t val3);  [man 2 futex]
Result<i64> sys_futex(proc::Task& task, VirtAddr uaddr, int op, u32 val, u64 timeout,
                      VirtAddr uaddr2, u32 val3) {
  return proc::futex::Futex(task, uaddr.value, op, val, timeout, uaddr2.value, val3);
}

}  // namespace kernel::syscalls
