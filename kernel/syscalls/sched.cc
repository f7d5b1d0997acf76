#include "kernel/syscalls/sched.h"

#include "kernel/proc/scheduler.h"

namespace kernel::syscalls {

// int sched_yield(void);  [man 2 sched_yield]
Result<void> sys_sched_yield(proc::Task&) {
  proc::sched::Yield();
  return Ok();
}

}  // namespace kernel::syscalls
