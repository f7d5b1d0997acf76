#pragma once
/// The scheduler: one CPU, round robin, non-preemptive in the kernel. A task gives up the CPU
/// only by blocking, yielding or exiting, or on its way back to user mode when its time slice
/// is used up (the tick sets need_resched). Wake() may be called from interrupt handlers.
#include "kernel/proc/task.h"

namespace kernel::proc::sched {

/// Ticks per second of the periodic timer.
inline constexpr u32 kTickHz = 1000;
/// Ticks a task runs before it is preempted on its way back to user mode.
inline constexpr u32 kTimeSliceTicks = 10;

/// Adopts the running boot context as the first task, so that Schedule() has somewhere to
/// save it. Call once, from the boot path, before any other scheduler call.
void Init(Task& boot_task);

/// The task whose kernel context is running now.
Task* Current();

/// Puts a new or blocked task on the run queue.
void MakeRunnable(Task& task);

/// The current task goes to the back of the run queue; another runnable task (if any) runs.
void Yield();

/// Sleeps until Wake(current). The caller sets the state to kBlocked *before* checking its
/// wake-up condition, so a Wake() that comes in between is not lost (Block then returns at
/// once). Returns when the task is runnable again.
void Block();

/// Makes a blocked task runnable. Harmless on a task that is already runnable.
void Wake(Task& task);

/// The current task is finished: switch away for good. Its kernel stack is released by the
/// next task to run (it cannot be freed while still in use).
[[noreturn]] void ExitCurrent();

/// From the timer interrupt: account the tick to the current task.
void OnTick();

/// True when the current task should yield before returning to user mode.
bool NeedResched();

namespace internal {
/// Completes a context switch on the stack we arrived on (frees a dead task's stack).
void FinishSwitch();
}  // namespace internal

/// Number of context switches so far (statistics, /proc/stat "ctxt").
u64 ContextSwitches();

}  // namespace kernel::proc::sched
