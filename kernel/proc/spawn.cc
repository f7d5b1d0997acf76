#include "kernel/proc/spawn.h"

#include "kernel/fs/fd_table.h"
#include "kernel/mm/address_space.h"
#include "kernel/proc/pid_table.h"
#include "kernel/proc/process.h"
#include "kernel/proc/scheduler.h"
#include "kernel/proc/user_loop.h"
#include "kernel/time/timer.h"

namespace kernel::proc {
namespace {

void UserEntry(void*) { RunUserLoop(*sched::Current()); }

}  // namespace

Result<Task*> SpawnUserProcess(const char* name, Process* parent) {
  lib::RefPtr<mm::AddressSpace> as = TRY(mm::AddressSpace::Create());
  // Every user process has an fd table (empty here); the fd system calls rely on it.
  lib::RefPtr<fs::FdTable> fds = TRY(fs::FdTable::Create());
  Task* task = TRY(Task::Create(name, &UserEntry, nullptr));
  task->address_space_ = lib::move(as);
  task->set_fd_table(lib::move(fds));
  task->start_time_ns_ = time::MonotonicNs();
  auto process = Process::Create(*task, parent);
  if (process.is_error()) {
    if (task->tid() != 0) ReleasePid(task->tid());
    Task::Destroy(task);
    return process.error();
  }
  sched::MakeRunnable(*task);
  return task;
}

}  // namespace kernel::proc
