#include "kernel/syscalls/exec.h"

#include "kernel/lib/alloc.h"
#include "kernel/proc/exec.h"
#include "kernel/proc/process.h"

namespace kernel::syscalls {
namespace {

constexpr usize kPathMax = 4096;

// Linux's limit on argv + envp: a quarter of the stack rlimit, at least 32 pages, at most
// three quarters of 8 MiB [linux fs/exec.c bprm_stack_limits].
u64 ArgLimit(proc::Task& task) {
  u64 limit = task.process()->rlimits().limits[proc::rlimit::kStack].cur / 4;
  constexpr u64 kMin = 32 * kPageSize, kMax = (8ull << 20) / 4 * 3;
  if (limit < kMin) limit = kMin;
  if (limit > kMax) limit = kMax;
  return limit;
}

}  // namespace

// int execve(const char *pathname, char *const argv[], char *const envp[]);  [man 2 execve]
Result<void> sys_execve(proc::Task& task, UserCString filename, VirtAddr argv, VirtAddr envp) {
  char* path = static_cast<char*>(lib::Allocate(kPathMax));
  if (path == nullptr) return Errno::kENOMEM;
  auto len = filename.Copy(path, kPathMax);
  Result<void> result = Ok();
  proc::ExecArgs args;
  if (len.is_error()) {
    result = len.error();
  } else if (len.value() == 0) {
    result = Errno::kENOENT;
  } else {
    auto name = lib::String::TryFrom(lib::string_view(path, len.value()));
    result = name.is_error() ? Result<void>(name.error()) : Ok();
    if (name.ok()) args.filename = name.release_value();
  }
  lib::Free(path);
  TRY(result);

  // As Linux: the file is opened before the argument vectors are read.
  elf::ExecOpener* opener = proc::GetExecOpener();
  if (opener == nullptr) return Errno::kENOENT;
  lib::RefPtr<elf::ExecFile> file = TRY(opener->Open(task, args.filename.view()));
  u64 total = 0;
  u64 limit = ArgLimit(task);
  args.argv = TRY(proc::CopyStringVector(argv.value, limit, &total));
  args.envp = TRY(proc::CopyStringVector(envp.value, limit, &total));
  return proc::Exec(task, lib::move(file), lib::move(args), *opener);
}

}  // namespace kernel::syscalls
