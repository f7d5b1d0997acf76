#pragma once
/// Thread and process ids: one namespace, as in Linux (a process's pid is its leader's tid).
/// Ids count up from 1 and wrap at kPidMax, skipping ids in use; a table that becomes empty
/// starts again from 1, which only happens between hostsim test machines.
#include "kernel/lib/result.h"
#include "kernel/proc/task.h"

namespace kernel::proc {

/// /proc/sys/kernel/pid_max's default.
inline constexpr Pid kPidMax = 32768;

/// Gives `task` a fresh id and registers it (task.tid() is set). EAGAIN when every id is in
/// use, ENOMEM when the table cannot grow.
Result<Pid> AllocatePid(Task& task);
/// Registers `task` under exactly `tid` (clone3's set_tid); EEXIST when it is in use, ENOMEM
/// when the table cannot grow. The next AllocatePid goes on from where it was.
Result<Pid> AllocatePidExactly(Task& task, Pid tid);
/// Forgets an id (the task is being destroyed).
void ReleasePid(Pid tid);
/// Makes `tid` (in use) name `task` instead (execve from a thread takes the leader's pid).
void RebindPid(Pid tid, Task& task);
/// The task with this tid, or null.
Task* FindTask(Pid tid);
/// The process with this pid (its leader's tid), or null.
class Process;
Process* FindProcess(Pid pid);
/// Tasks registered, alive or not yet reaped.
usize TaskCount();
/// Calls f(Task&) for each registered task (order unspecified). f must not add or remove.
void ForEachTask(void (*f)(Task&, void*), void* ctx);

}  // namespace kernel::proc
