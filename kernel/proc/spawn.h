#pragma once
/// Starting user processes from the kernel: PID 1 at boot, and the sim harness's processes.
#include "kernel/lib/result.h"
#include "kernel/proc/task.h"

namespace kernel::proc {

class Process;

/// A new process with one thread and an empty address space, made runnable: it enters user
/// mode with the registers its user context holds (execve them into place first, from the
/// thread itself or before it runs). `parent` may be null (init). ENOMEM, EAGAIN.
Result<Task*> SpawnUserProcess(const char* name, Process* parent);

}  // namespace kernel::proc
