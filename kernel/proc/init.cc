#include "kernel/proc/init.h"

#include <hal/power.h>

#include "kernel/debug/log.h"
#include "kernel/fs/exec_opener.h"
#include "kernel/fs/fd_table.h"
#include "kernel/fs/initramfs/initramfs.h"
#include "kernel/lib/alloc.h"
#include "kernel/mm/address_space.h"
#include "kernel/proc/exec.h"
#include "kernel/proc/pid_table.h"
#include "kernel/proc/process.h"
#include "kernel/proc/scheduler.h"
#include "kernel/proc/user_loop.h"
#include "kernel/time/timer.h"

namespace kernel::proc {
namespace {

Result<void> AppendCopy(lib::Vector<lib::String>& v, lib::string_view s) {
  return v.TryPush(TRY(lib::String::TryFrom(s)));
}

Result<void> PrepareAndExec(Task& self, InitSpec& spec) {
  lib::RefPtr<fs::FsContext> fs = fs::InitFsContext();
  if (!fs) return Errno::kENOENT;  // no root file system was mounted
  self.set_fs_context(TRY(fs->Clone()));
  lib::RefPtr<fs::FdTable> fds = TRY(fs::FdTable::Create());
  // Linux's console_on_rootfs: without a console init still runs, just with no fds.
  (void)fs::OpenInitConsole(*fds);
  self.set_fd_table(lib::move(fds));
  if (spec.before_exec != nullptr) TRY(spec.before_exec(self, spec.before_exec_arg));

  ExecArgs args;
  args.filename = TRY(lib::String::TryFrom(spec.path.view()));
  if (spec.argv.empty()) TRY(AppendCopy(spec.argv, spec.path.view()));
  if (spec.envp.empty()) {
    TRY(AppendCopy(spec.envp, "HOME=/"));
    TRY(AppendCopy(spec.envp, "TERM=linux"));
  }
  args.argv = lib::move(spec.argv);
  args.envp = lib::move(spec.envp);
  elf::ExecOpener* opener = GetExecOpener();
  if (opener == nullptr) return Errno::kENOENT;
  lib::RefPtr<elf::ExecFile> file = TRY(opener->Open(self, spec.path.view()));
  return Exec(self, lib::move(file), lib::move(args), *opener);
}

void InitEntry(void* arg) {
  Task& self = *sched::Current();
  InitSpec* spec = static_cast<InitSpec*>(arg);
  Result<void> r = PrepareAndExec(self, *spec);
  if (r.is_error()) {
    LOG_ERROR("aramid: cannot start %.*s: %s\n", static_cast<int>(spec->path.size()),
              spec->path.data(), ErrnoName(r.error()));
    hal::Power::Exit(kExitNoInit);
  }
  lib::Delete(spec);
  RunUserLoop(self);
}

}  // namespace

Result<Task*> StartInit(InitSpec spec) {
  fs::InstallExecOpener();
  InitSpec* owned = TRY(lib::TryNew<InitSpec>(lib::move(spec)));
  auto as = mm::AddressSpace::Create();
  auto task = as.ok() ? Task::Create("init", &InitEntry, owned) : Result<Task*>(as.error());
  if (task.is_error()) {
    lib::Delete(owned);
    return task.error();
  }
  Task* t = task.value();
  t->SetAddressSpace(as.release_value());
  t->start_time_ns_ = time::MonotonicNs();
  auto process = Process::Create(*t, nullptr);
  if (process.is_error()) {
    if (t->tid() != 0) ReleasePid(t->tid());
    Task::Destroy(t);
    lib::Delete(owned);
    return process.error();
  }
  sched::MakeRunnable(*t);
  return t;
}

}  // namespace kernel::proc
