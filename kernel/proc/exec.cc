#include "kernel/proc/exec.h"

#include <hal/cpu.h>

#include "kernel/elf/elf_loader.h"
#include "kernel/elf/initial_stack.h"
#include "kernel/elf/script.h"
#include "kernel/fs/fd_table.h"
#include "kernel/lib/alloc.h"
#include "kernel/mm/address_space.h"
#include "kernel/mm/user_ptr.h"
#include "kernel/proc/exit.h"
#include "kernel/proc/pid_table.h"
#include "kernel/proc/process.h"
#include "kernel/proc/scheduler.h"
#include "kernel/signal/deliver.h"
#include "kernel/signal/send.h"
#include "kernel/time/process_timers.h"
#include "kernel/vdso/vdso.h"  // sig helper: the vDSO mapping (issue #8)

namespace kernel::proc {
namespace {

// x86_64 user segment selectors (GDT_USER_CS/DS, as Linux: __USER_CS 0x33, __USER_DS 0x2b).
constexpr u64 kUserCs = 0x33;
constexpr u64 kUserDs = 0x2b;
constexpr u64 kInitialRflags = 0x200;  // IF

constexpr u64 kMaxArgStrlen = 32 * kPageSize;  // MAX_ARG_STRLEN

// Rewrites argv for a script: interpreter, [argument], the script's path, argv[1..].
Result<void> SpliceScriptArgs(ExecArgs& args, const elf::ScriptLine& line,
                              lib::string_view script_path) {
  lib::Vector<lib::String> argv;
  TRY(argv.TryPush(TRY(line.interpreter.TryClone())));
  if (line.has_argument) TRY(argv.TryPush(TRY(line.argument.TryClone())));
  TRY(argv.TryPush(TRY(lib::String::TryFrom(script_path))));
  for (usize i = 1; i < args.argv.size(); ++i) TRY(argv.TryPush(lib::move(args.argv[i])));
  args.argv = lib::move(argv);
  return Ok();
}

// de_thread: every other thread of the process ends before the program changes.
Result<void> KillOtherThreads(Task& task) {
  Process* p = task.process();
  if (p->live_threads() <= 1) return Ok();
  p->ForEachThread([&](Task& t) {
    if (&t == &task || t.state() == TaskState::kDead) return;
    t.set_killed();
    t.exec_killed_ = true;  // a plain thread exit, not a fatal signal for the process
    signal::RecalcInterrupt(t);
    if (t.state() == TaskState::kStopped) sched::MakeRunnable(t);
    sched::Wake(t);
  });
  // They exit at their next trap boundary, or at once from an interruptible sleep.
  p->thread_exit_wait().Wait([&] { return p->live_threads() <= 1 || task.killed(); });
  if (p->live_threads() > 1) return Errno::kEINTR;  // we are being killed ourselves
  TakeOverLeader(task);
  return Ok();
}

lib::string_view Basename(lib::string_view path) {
  usize slash = path.rfind('/');
  return slash == lib::string_view::npos ? path : path.substr(slash + 1);
}

elf::ExecOpener* g_opener = nullptr;

}  // namespace

void SetExecOpener(elf::ExecOpener* opener) { g_opener = opener; }
elf::ExecOpener* GetExecOpener() { return g_opener; }

Result<lib::Vector<lib::String>> CopyStringVector(u64 user_vector, u64 limit, u64* total) {
  lib::Vector<lib::String> out;
  if (user_vector == 0) return out;
  char* buf = static_cast<char*>(lib::Allocate(kMaxArgStrlen + 1));
  if (buf == nullptr) return Errno::kENOMEM;
  Result<void> status = Ok();
  for (u64 i = 0;; ++i) {
    auto ptr = mm::UserIn<u64>(user_vector + i * 8).Read();
    if (ptr.is_error()) {
      status = ptr.error();
      break;
    }
    if (ptr.value() == 0) break;
    auto len = mm::UserCString(ptr.value()).Copy(buf, kMaxArgStrlen + 1);
    if (len.is_error()) {
      status = len.error() == Errno::kENAMETOOLONG ? Errno::kE2BIG : len.error();
      break;
    }
    *total += len.value() + 1 + 8;
    if (*total > limit) {
      status = Errno::kE2BIG;
      break;
    }
    auto s = lib::String::TryFrom(lib::string_view(buf, len.value()));
    if (s.is_error() || out.TryPush(s.release_value()).is_error()) {
      status = Errno::kENOMEM;
      break;
    }
  }
  lib::Free(buf);
  if (status.is_error()) return status.error();
  return out;
}

Result<void> Exec(Task& task, lib::RefPtr<elf::ExecFile> file, ExecArgs args,
                  elf::ExecOpener& opener) {
  // Linux turns an empty argv into {""} so that argv[0] always exists.
  if (args.argv.empty()) TRY(args.argv.TryPush(lib::String()));

  // 1. What is the file? Follow `#!` lines to an ELF executable.
  u8 head[elf::kExecHeadSize];
  lib::String script_path = TRY(args.filename.TryClone());
  for (int depth = 0;; ++depth) {
    if (depth > kMaxInterpreterDepth) return Errno::kELOOP;
    __builtin_memset(head, 0, sizeof(head));
    usize n = TRY(file->ReadAt(head, sizeof(head), 0));
    if (elf::LooksLikeElf(head, n)) break;
    if (!elf::LooksLikeScript(head, n)) return Errno::kENOEXEC;
    elf::ScriptLine line = TRY(elf::ParseScriptLine(head));
    TRY(SpliceScriptArgs(args, line, script_path.view()));
    file = TRY(opener.Open(task, line.interpreter.view()));
    script_path = lib::move(line.interpreter);
  }

  // 2. Check the program and its interpreter.
  elf::ElfImage image = TRY(elf::ReadImage(*file, head));
  lib::String interp_path = TRY(elf::ReadInterpreterPath(*file, image));
  lib::RefPtr<elf::ExecFile> interp_file;
  elf::ElfImage interp;
  if (!interp_path.empty()) {
    interp_file = TRY(opener.Open(task, interp_path.view()));
    interp = TRY(elf::ReadInterpreter(*interp_file));
  }

  // 3. Build the new address space: stack, program, interpreter, heap, stack contents.
  Process* process = task.process();
  const Credentials& cred = task.credentials();
  lib::RefPtr<mm::AddressSpace> as = TRY(mm::AddressSpace::Create());
  u64 stack_limit = process->rlimits().limits[rlimit::kStack].cur;
  as->set_stack_limit(stack_limit < mm::kMmapBase ? stack_limit : mm::kDefaultStackLimit);
  elf::StackContents contents;
  contents.argv = args.argv.AsSpan();
  contents.envp = args.envp.AsSpan();
  contents.execfn = args.filename.view();
  u64 stack_size = elf::InitialStackBytes(contents) + mm::kInitialStackSize;
  mm::MapRequest stack;
  stack.addr = mm::kStackTop - stack_size;
  stack.length = stack_size;
  stack.prot = mm::prot::kRead | mm::prot::kWrite | (image.exec_stack ? mm::prot::kExec : 0);
  stack.map_flags = mm::map::kFixed | mm::map::kGrowsDown;
  stack.vma_flags = mm::vma_flags::kStack;
  TRY(as->Map(stack));

  bool pie_with_interp = image.header.type == elf::kTypeDyn && interp_file;
  elf::LoadedImage main = TRY(elf::MapImage(
      *as, *file, image,
      pie_with_interp ? elf::Placement::kPieWithInterpreter : elf::Placement::kAnywhere));
  elf::LoadedImage loader;
  if (interp_file)
    loader = TRY(elf::MapImage(*as, *interp_file, interp, elf::Placement::kAnywhere));
  as->SetBrkStart(AlignUp(main.end, kPageSize));

  contents.phdr = main.phdr_addr;
  contents.phnum = image.header.phnum;
  contents.entry = main.entry;
  contents.base = interp_file ? loader.bias : 0;
  contents.uid = cred.uid;
  contents.euid = cred.euid;
  contents.gid = cred.gid;
  contents.egid = cred.egid;
  // The vDSO and its data page, announced by AT_SYSINFO_EHDR (kernel/vdso/vdso.h).
  contents.sysinfo_ehdr = TRY(vdso::MapVdso(*as));
  u64 sp = TRY(elf::BuildInitialStack(*as, mm::kStackTop, contents));

  // An fd table shared with another process (CLONE_FILES without CLONE_THREAD) is copied
  // before closing close-on-exec descriptors, as Linux's unshare_files does.
  lib::RefPtr<fs::FdTable> unshared_files;
  if (task.fd_table() && task.fd_table()->ref_count_for_debug() > 1) {
    unshared_files = TRY(task.fd_table()->Clone());
  }

  // 4. The point of no return: nothing below can fail but the wait for other threads.
  TRY(KillOtherThreads(task));
  // Caught signals go back to their default action; ignored ones stay ignored.
  TRY(signal::ResetOnExec(task));
  time::OnExec(*process);  // POSIX timers go; itimers and alarm stay [man 2 execve]
  // exec_mm_release, in the old memory: robust futexes, and the clear-tid word if the memory
  // stays in use (a vfork child's, for instance).
  ReleaseMm(task);
  task.SetAddressSpace(lib::move(as));
  // /proc/self/exe names the ELF file loaded, the interpreter for a `#!` script.
  process->set_exe_file(file);
  ReleaseVforkParent(task);
  if (unshared_files) task.set_fd_table(lib::move(unshared_files));
  if (task.fd_table()) task.fd_table()->CloseOnExec();
  char name[16] = {};
  lib::string_view base = Basename(args.filename.view());
  for (usize i = 0; i < base.size() && i + 1 < sizeof(name); ++i) name[i] = base[i];
  task.SetName(name);

  hal::UserContext& ctx = task.user_context();
  __builtin_memset(&ctx.regs, 0, sizeof(ctx.regs));
  ctx.regs.rip = interp_file ? loader.entry : main.entry;
  ctx.regs.rsp = sp;
  ctx.regs.cs = kUserCs;
  ctx.regs.ss = kUserDs;
  ctx.regs.eflags = kInitialRflags;
  hal::Cpu::InitFpu(ctx);
  hal::Cpu::RestoreFpu(ctx);
  return Ok();
}

}  // namespace kernel::proc
