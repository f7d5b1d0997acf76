#pragma once
/// System-call dispatch: the one place where Result<T> becomes a value or -errno in rax.
#include "kernel/lib/format.h"
#include "kernel/proc/task.h"

namespace kernel::syscalls {

/// Runs the system call described by the task's user registers (number in orig_rax/rax,
/// arguments in rdi, rsi, rdx, r10, r8, r9) and leaves the result in rax.
void Dispatch(proc::Task& task);

/// Where `debug=syscall` trace lines go: the kernel log by default; hostsim's --trace sends
/// them elsewhere. The line is complete, newline included.
using TraceWriter = void (*)(const char* line, usize length);
void SetTrace(bool enabled, TraceWriter writer = nullptr);
bool TraceEnabled();

/// Formats "name(args) = result" for a completed call the way the tracer does (tests use it).
void FormatCall(lib::FormatSink& out, u64 number, const u64* args, i64 result);

}  // namespace kernel::syscalls
