// System-call dispatch on hostsim: the cost of kernel::syscalls::Dispatch from a filled-in
// register frame to the result in rax, for a trivial call (getpid), an unknown number (ENOSYS:
// the dispatch floor) and sched_yield with nothing else to run; and with tracing on.
#include <benchmark/benchmark.h>

#include "kernel/proc/process.h"
#include "kernel/proc/scheduler.h"
#include "kernel/proc/task.h"
#include "kernel/syscalls/dispatch.h"

namespace {

using kernel::i64;
using kernel::u64;
using kernel::usize;

using kernel::proc::Process;
using kernel::proc::Task;

// One task and process for the whole binary: Dispatch needs a current task.
Task& BenchTask() {
  static Task* task = [] {
    Task* t = Task::AdoptCurrentContext("bench").value();
    kernel::proc::sched::Init(*t);
    (void)Process::Create(*t, nullptr).value();
    return t;
  }();
  return *task;
}

void Call(Task& task, u64 nr) {
  hal::UserRegs& r = task.user_context().regs;
  r.rax = r.orig_rax = nr;
  r.rdi = r.rsi = r.rdx = r.r10 = r.r8 = r.r9 = 0;
  kernel::syscalls::Dispatch(task);
}

void BM_DispatchGetpid(benchmark::State& state) {
  Task& task = BenchTask();
  for (auto _ : state) {
    Call(task, 39);
    benchmark::DoNotOptimize(task.user_context().regs.rax);
  }
}
BENCHMARK(BM_DispatchGetpid);

void BM_DispatchUnknownNumber(benchmark::State& state) {
  Task& task = BenchTask();
  Call(task, 1000);  // the first one is logged; measure the steady state
  for (auto _ : state) {
    Call(task, 1000);
    benchmark::DoNotOptimize(task.user_context().regs.rax);
  }
  if (static_cast<i64>(task.user_context().regs.rax) != -38) state.SkipWithError("not ENOSYS");
}
BENCHMARK(BM_DispatchUnknownNumber);

void BM_DispatchSchedYield(benchmark::State& state) {
  Task& task = BenchTask();
  for (auto _ : state) {
    Call(task, 24);
    benchmark::DoNotOptimize(task.user_context().regs.rax);
  }
}
BENCHMARK(BM_DispatchSchedYield);

void DiscardTrace(const char*, usize) {}

void BM_DispatchGetpidTraced(benchmark::State& state) {
  Task& task = BenchTask();
  kernel::syscalls::SetTrace(true, DiscardTrace);
  for (auto _ : state) {
    Call(task, 39);
    benchmark::DoNotOptimize(task.user_context().regs.rax);
  }
  kernel::syscalls::SetTrace(false);
}
BENCHMARK(BM_DispatchGetpidTraced);

}  // namespace
