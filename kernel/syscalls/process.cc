#include "kernel/syscalls/process.h"

#include "kernel/proc/process.h"

namespace kernel::syscalls {

// pid_t getpid(void);   [man 2 getpid]
Result<int> sys_getpid(Task& task) { return task.process()->pid(); }

// pid_t gettid(void);   [man 2 gettid]
Result<int> sys_gettid(Task& task) { return task.tid(); }

// pid_t getppid(void);  [man 2 getppid]
Result<int> sys_getppid(Task& task) {
  proc::Process* parent = task.process()->parent();
  return parent != nullptr ? parent->pid() : 0;
}

// void _exit(int status);  [man 2 exit]
// TODO(#5): with threads, exit ends only the calling thread.
Result<void> sys_exit(Task& task, int status) {
  proc::Process::ExitGroup(task, proc::ExitedStatus(status));
}

// void exit_group(int status);  [man 2 exit_group]
Result<void> sys_exit_group(Task& task, int status) {
  proc::Process::ExitGroup(task, proc::ExitedStatus(status));
}

}  // namespace kernel::syscalls
