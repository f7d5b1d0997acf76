#pragma once
/// How tasks and processes end [man 2 exit, man 2 exit_group]: a thread releases what it
/// holds (CLONE_CHILD_CLEARTID word, vfork parent, address space, files); the last thread of
/// a process makes it a zombie for its parent to reap, hands its children to init, and wakes
/// the parent's wait. PID 1's end stops the machine.
#include "kernel/proc/task.h"

namespace kernel::proc {

class Process;

/// Ends the calling thread with `wait_status` (the process's status when it is the last
/// thread and no exit_group set one). Never returns.
[[noreturn]] void ExitThread(Task& current, int wait_status);
/// execve from a thread other than the leader, once every other thread has exited (Linux's
/// de_thread): `current` takes over the leader's pid and place, the old leader's Task is freed.
void TakeOverLeader(Task& current);

/// Frees the Task objects of threads that have exited and been switched away from, and
/// zombies nobody will reap (no parent). Called from clone, wait and exit; harmless anywhere
/// in task context.
void ReapDeadThreads();

/// Reaps a zombie child: frees it, its leader and its pid (wait4/waitid).
void ReapZombie(Process& zombie);

/// Makes every thread of `p` exit with `wait_status` at its next trap boundary (or at once
/// from an interruptible sleep), as a fatal signal would. The caller must not be one of them.
void KillProcess(Process& p, int wait_status);

/// Frees every process, all of which must be zombies, and every dead thread (hostsim tests
/// tearing a machine down). True when nothing was left alive.
bool DestroyAllProcessesForTesting();

/// The vfork parent of `task` (if any) may run again: the child has exec'd or is exiting.
void ReleaseVforkParent(Task& task);

/// Linux's mm_release, when a thread leaves its address space by exit or by execve: robust
/// futexes it holds are marked FUTEX_OWNER_DIED (and a waiter woken), and its clear-tid word
/// is zeroed and woken if another task still uses that memory.
void ReleaseMm(Task& task);

}  // namespace kernel::proc
