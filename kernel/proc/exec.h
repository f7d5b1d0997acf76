#pragma once
/// execve [man 2 execve]: replaces the calling process's program. The new address space is
/// built completely (stack, program, interpreter, heap, initial stack contents) before
/// anything of the old one is touched, so an execve that fails for any reason — a bad ELF, a
/// missing interpreter, a `#!` loop, no memory — returns its error to an intact caller.
/// Only then: the other threads end, the new address space replaces the old, a vfork parent
/// resumes, and the registers start at the entry point.
#include "kernel/elf/exec_file.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vector.h"
#include "kernel/proc/task.h"

namespace kernel::proc {

struct ExecArgs {
  lib::String filename;  ///< the path execve was given (AT_EXECFN, the task name)
  lib::Vector<lib::String> argv;
  lib::Vector<lib::String> envp;
};

/// How many `#!` interpreters may be chained before ELOOP (exec_binprm's depth limit).
inline constexpr int kMaxInterpreterDepth = 5;

/// Runs `file` in `task` (the current task). On success the task's registers are the new
/// program's; on failure nothing has changed. ENOEXEC, ENOENT, ELOOP, EIO, ELIBBAD, EINVAL,
/// ENOMEM, E2BIG.
Result<void> Exec(Task& task, lib::RefPtr<elf::ExecFile> file, ExecArgs args,
                  elf::ExecOpener& opener);

/// The opener execve uses for paths: the VFS installs one (TODO(#4)), the sim harness an
/// in-memory one. Without any, every path is ENOENT.
void SetExecOpener(elf::ExecOpener* opener);
elf::ExecOpener* GetExecOpener();

/// Copies a user argv/envp vector: EFAULT for a bad pointer, E2BIG past Linux's limits (a
/// string longer than 32 pages; more than a quarter of the stack rlimit in all). `total`
/// accumulates the bytes over both vectors.
Result<lib::Vector<lib::String>> CopyStringVector(u64 user_vector, u64 limit, u64* total);

}  // namespace kernel::proc
