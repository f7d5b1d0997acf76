// /proc/<pid>/stat and /proc/<pid>/status [man 5 proc; linux fs/proc/array.c].
#include "kernel/fs/fd_table.h"
#include "kernel/fs/fs_context.h"
#include "kernel/fs/procfs/internal.h"
#include "kernel/mm/address_space.h"
#include "kernel/proc/rlimit.h"
#include "kernel/time/clocks.h"
#include "kernel/tty/pty.h"
#include "kernel/tty/serial.h"

namespace kernel::fs::procfs {
namespace {

constexpr u64 kNsPerTick = 10'000'000;  // USER_HZ = 100
// Every capability Linux 6.1 knows (0 to CAP_CHECKPOINT_RESTORE = 40).
constexpr u64 kAllCaps = (u64{1} << 41) - 1;

struct ProcState {
  char code;
  const char* name;
};

ProcState StateOf(proc::Process& p, proc::Task& t) {
  if (p.exited()) return {'Z', "zombie"};
  switch (t.state()) {
    case proc::TaskState::kRunnable:
      return {'R', "running"};
    case proc::TaskState::kBlocked:
      return {'S', "sleeping"};
    case proc::TaskState::kStopped:
      return {'T', "stopped"};
    case proc::TaskState::kDead:
      return {'X', "dead"};
  }
  return {'S', "sleeping"};
}

// The device number of a terminal as stat's tty_nr shows it (new_encode_dev).
u64 TtyDevice(const tty::Tty* t) {
  if (t == nullptr) return 0;
  for (unsigned port = 0; port < tty::kSerialPorts; ++port) {
    if (tty::SerialTty(port) == t) return MakeDev(4, 64 + port);
  }
  for (u32 i = 0; i < tty::kMaxPtys; ++i) {
    tty::Pty* p = tty::Pty::Find(i);
    if (p != nullptr && &p->slave() == t) return MakeDev(136, i);
  }
  return 0;
}

struct SignalMasks {
  u64 ignored = 0;
  u64 caught = 0;
};

SignalMasks HandlerMasks(proc::Task& t) {
  SignalMasks m;
  const lib::RefPtr<signal::Handlers>& h = t.signals().handlers;
  if (!h) return m;
  for (int s = 1; s <= signal::kNumSignals; ++s) {
    u64 handler = h->Get(s).handler;
    if (handler == signal::kSigIgn)
      m.ignored |= u64{1} << (s - 1);
    else if (handler != signal::kSigDfl)
      m.caught |= u64{1} << (s - 1);
  }
  return m;
}

}  // namespace

Result<void> GenStat(lib::StringBuilder& out, const Actor&, i64 arg) {
  proc::Process* p = ProcessOf(arg);
  proc::Task* t = TaskOf(arg);
  if (p == nullptr || t == nullptr) return Errno::kESRCH;
  ProcState st = StateOf(*p, *t);
  const tty::JobControl& job = p->job();
  tty::Tty* ctty = job.group ? job.group->session().ctty() : nullptr;
  const proc::Pid ppid = p->parent() != nullptr ? p->parent()->pid() : 0;
  const proc::Pid sid = job.group ? job.group->session().sid() : 0;
  const proc::Pid tpgid =
      ctty != nullptr && ctty->foreground() != nullptr ? ctty->foreground()->pgid() : -1;
  time::CpuTimes times = TidOf(arg) == 0 ? time::ProcessCpuTimes(*p) : time::TaskCpuTimes(*t);
  time::CpuTimes children = p->timers().children;
  u32 threads = 0;
  p->ForEachThread(
      [&](proc::Task& th) { threads += th.state() != proc::TaskState::kDead ? 1 : 0; });
  if (threads == 0) threads = 1;
  mm::AddressSpace* as = t->address_space();
  VmTotals vm = VmTotalsOf(as);
  mm::AddressSpace::ExecStrings strings =
      as != nullptr ? as->exec_strings() : mm::AddressSpace::ExecStrings{};
  SignalMasks masks = HandlerMasks(*t);
  const u64 rsslim = p->rlimits().limits[proc::rlimit::kRss].cur;
  // Fields 1-52 [man 5 proc]; kstkesp, kstkeip and wchan are 0 as Linux shows them to others.
  out.AppendFormat("%d (%s) %c %d %d %d %d %d %u ", t->tid() == 0 ? p->pid() : t->tid(), t->name(),
                   st.code, ppid, p->pgid(), sid, static_cast<int>(TtyDevice(ctty)), tpgid,
                   0x400000u);
  out.AppendFormat("0 0 0 0 %lu %lu %lu %lu 20 0 %u 0 %lu ", times.user_ns / kNsPerTick,
                   times.system_ns / kNsPerTick, children.user_ns / kNsPerTick,
                   children.system_ns / kNsPerTick, threads, p->start_time_ns() / kNsPerTick);
  out.AppendFormat("%lu %lu %lu %lu %lu %lu 0 0 ", vm.size, vm.resident / kPageSize, rsslim,
                   vm.exe_start, vm.exe_end, as != nullptr ? as->stack_top() : 0ul);
  out.AppendFormat("%lu %lu %lu %lu 0 0 0 %d 0 0 0 0 0 0 ", p->signals().shared.set().bits(),
                   t->signals().blocked.bits(), masks.ignored, masks.caught, p->exit_signal());
  out.AppendFormat("0 0 %lu %lu %lu %lu %lu %d\n", as != nullptr ? as->brk_start() : 0ul,
                   strings.arg_start, strings.arg_end, strings.env_start, strings.env_end,
                   p->exited() ? p->wait_status() : 0);
  return Ok();
}

Result<void> GenStatus(lib::StringBuilder& out, const Actor&, i64 arg) {
  proc::Process* p = ProcessOf(arg);
  proc::Task* t = TaskOf(arg);
  if (p == nullptr || t == nullptr) return Errno::kESRCH;
  ProcState st = StateOf(*p, *t);
  const proc::Credentials& c = t->credentials();
  const tty::JobControl& job = p->job();
  const proc::Pid sid = job.group ? job.group->session().sid() : 0;
  u32 umask = t->fs_context() ? t->fs_context()->umask() : 022;
  out.AppendFormat("Name:\t%s\nUmask:\t%04o\nState:\t%c (%s)\n", t->name(), umask, st.code,
                   st.name);
  out.AppendFormat("Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", p->pid(), t->tid(),
                   p->parent() != nullptr ? p->parent()->pid() : 0);
  out.AppendFormat("Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n", c.uid, c.euid, c.suid, c.fsuid,
                   c.gid, c.egid, c.sgid, c.fsgid);
  // FDSize: the table's slots, which Linux grows in powers of two from 64.
  u32 fd_size = 64;
  if (const lib::RefPtr<FdTable>& fds = t->fd_table()) {
    fds->ForEach([&](int fd, const lib::RefPtr<File>&, u32) {
      while (static_cast<u32>(fd) >= fd_size) fd_size *= 2;
    });
  }
  out.AppendFormat("FDSize:\t%u\nGroups:\t", fd_size);
  for (u32 i = 0; i < c.group_count; ++i) out.AppendFormat(i != 0 ? " %u" : "%u", c.groups[i]);
  out.Append(" \n");  // Linux's trailing space
  out.AppendFormat("NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", p->pid(), t->tid(),
                   p->pgid(), sid);
  mm::AddressSpace* as = t->address_space();
  if (as != nullptr) {
    VmTotals vm = VmTotalsOf(as);
    struct Line {
      const char* name;
      u64 bytes;
    };
    const Line lines[] = {
        {"VmPeak:", vm.size},
        {"VmSize:", vm.size},
        {"VmLck:", 0},
        {"VmPin:", 0},
        {"VmHWM:", vm.resident},
        {"VmRSS:", vm.resident},
        {"RssAnon:", vm.resident},
        {"RssFile:", 0},
        {"RssShmem:", 0},
        {"VmData:", vm.data},
        {"VmStk:", vm.stack},
        {"VmExe:", vm.text},
        {"VmLib:", 0},
        {"VmPTE:", 0},
        {"VmSwap:", 0},
        {"HugetlbPages:", 0},
    };
    for (const Line& l : lines) out.AppendFormat("%s\t%8lu kB\n", l.name, l.bytes / 1024);
  }
  u32 threads = 0;
  p->ForEachThread(
      [&](proc::Task& th) { threads += th.state() != proc::TaskState::kDead ? 1 : 0; });
  if (threads == 0) threads = 1;
  SignalMasks masks = HandlerMasks(*t);
  const u64 sigpending_limit = p->rlimits().limits[proc::rlimit::kSigpending].cur;
  out.AppendFormat("CoreDumping:\t0\nTHP_enabled:\t1\nThreads:\t%u\nSigQ:\t0/%lu\n", threads,
                   sigpending_limit);
  out.AppendFormat(
      "SigPnd:\t%016lx\nShdPnd:\t%016lx\nSigBlk:\t%016lx\nSigIgn:\t%016lx\n"
      "SigCgt:\t%016lx\n",
      t->signals().pending.set().bits(), p->signals().shared.set().bits(),
      t->signals().blocked.bits(), masks.ignored, masks.caught);
  const u64 caps = c.euid == 0 ? kAllCaps : 0;
  out.AppendFormat(
      "CapInh:\t%016lx\nCapPrm:\t%016lx\nCapEff:\t%016lx\nCapBnd:\t%016lx\n"
      "CapAmb:\t%016lx\n",
      0ul, caps, caps, kAllCaps, 0ul);
  out.Append(
      "NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n"
      "Speculation_Store_Bypass:\tnot vulnerable\n"
      "SpeculationIndirectBranch:\tconditional enabled\n"
      "Cpus_allowed:\t1\nCpus_allowed_list:\t0\nMems_allowed:\t1\nMems_allowed_list:\t0\n"
      "voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n");
  return Ok();
}

}  // namespace kernel::fs::procfs
