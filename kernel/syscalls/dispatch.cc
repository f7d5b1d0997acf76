#include "kernel/syscalls/dispatch.h"

#include "kernel/debug/log.h"
#include "kernel/lib/errno.h"
#include "kernel/syscalls/table.h"

namespace kernel::syscalls {
namespace {

bool g_trace = false;
TraceWriter g_trace_writer = nullptr;

// Each unknown number is logged once, so a program probing for features does not flood the log.
u64 g_unknown_logged[(kSyscallNameCount + 63) / 64 + 1];

i64 Unknown(proc::Task& task, u64 number) {
  usize slot = number < kSyscallNameCount ? number : kSyscallNameCount;
  u64 bit = u64{1} << (slot % 64);
  if ((g_unknown_logged[slot / 64] & bit) == 0) {
    g_unknown_logged[slot / 64] |= bit;
    const char* name = SyscallName(number);
    LOG_WARN("syscall %llu (%s) is not implemented: ENOSYS (first seen in %s, tid %d)\n",
             static_cast<unsigned long long>(number), name != nullptr ? name : "unassigned",
             task.name(), task.tid());
  }
  return -static_cast<i64>(ToInt(Errno::kENOSYS));
}

class LineSink final : public lib::FormatSink {
 public:
  void Put(const char* s, usize n) override {
    for (usize i = 0; i < n && len_ + 1 < sizeof(buf_); ++i) buf_[len_++] = s[i];
  }
  const char* data() const { return buf_; }
  usize length() const { return len_; }

 private:
  char buf_[512];
  usize len_ = 0;
};

void FormatArgs(lib::FormatSink& out, u64 number, const u64* args) {
  const SyscallEntry* e = Lookup(number);
  const char* name = SyscallName(number);
  if (name != nullptr) {
    lib::Format(out, "%s(", name);
  } else {
    lib::Format(out, "syscall_%llu(", static_cast<unsigned long long>(number));
  }
  if (e != nullptr) {
    e->trace_args(out, args);
  } else {
    lib::Format(out, "%#lx, %#lx, %#lx, %#lx, %#lx, %#lx", args[0], args[1], args[2], args[3],
                args[4], args[5]);
  }
  lib::Format(out, ")");
}

void FormatResult(lib::FormatSink& out, u64 number, i64 result) {
  if (result < 0 && result >= -4095) {
    auto e = static_cast<Errno>(-result);
    lib::Format(out, " = -1 %s", ErrnoName(e));
    return;
  }
  if (result < 0 && result >= -516) {
    // Kernel-internal restart codes never reach user space, but the trace shows them.
    lib::Format(out, " = ? %s", ErrnoName(static_cast<Errno>(-result)));
    return;
  }
  lib::Format(out, " = ");
  const SyscallEntry* e = Lookup(number);
  if (e != nullptr) {
    e->trace_result(out, result);
  } else {
    lib::Format(out, "%lld", static_cast<long long>(result));
  }
}

}  // namespace

void SetTrace(bool enabled, TraceWriter writer) {
  g_trace = enabled;
  g_trace_writer = writer;
}

bool TraceEnabled() { return g_trace; }

void FormatCall(lib::FormatSink& out, u64 number, const u64* args, i64 result) {
  FormatArgs(out, number, args);
  FormatResult(out, number, result);
}

void Dispatch(proc::Task& task) {
  hal::UserRegs& regs = task.user_context().regs;
  const u64 number = regs.orig_rax;
  const u64 args[kMaxArgs] = {regs.rdi, regs.rsi, regs.rdx, regs.r10, regs.r8, regs.r9};

  // Arguments are formatted before the call: a path or buffer may be gone afterwards.
  LineSink line;
  if (g_trace) {
    lib::Format(line, "[%d] ", task.tid());
    FormatArgs(line, number, args);
  }

  const SyscallEntry* entry = Lookup(number);
  i64 result = entry != nullptr ? entry->invoke(task, args) : Unknown(task, number);
  regs.rax = static_cast<u64>(result);
  task.RecordSyscall(proc::SyscallRecord{number, {args[0], args[1], args[2]}, result});

  if (g_trace) {
    FormatResult(line, number, result);
    lib::Format(line, "\n");
    if (g_trace_writer != nullptr) {
      g_trace_writer(line.data(), line.length());
    } else {
      log::Write(line.data(), line.length());
    }
  }
}

}  // namespace kernel::syscalls
