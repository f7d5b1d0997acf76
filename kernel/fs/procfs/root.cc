// The procfs root: the process directories, self and thread-self, and the system-wide files
// [man 5 proc; linux fs/proc/{root,base,meminfo,stat,uptime,loadavg,version}.c].
#include <hal/clock.h>

#include "kernel/fs/dentry.h"
#include "kernel/fs/procfs/internal.h"
#include "kernel/fs/procfs/procfs.h"
#include "kernel/lib/alloc.h"
#include "kernel/lib/format.h"
#include "kernel/mm/heap.h"
#include "kernel/mm/page_alloc.h"
#include "kernel/proc/pid_table.h"
#include "kernel/syscalls/system.h"
#include "kernel/time/clocks.h"
#include "kernel/version.h"

namespace kernel::fs::procfs {
namespace {

using synth::TableDir;

constexpr u64 kTicksPerSecond = 100;  // USER_HZ
constexpr u64 kNsPerTick = 1'000'000'000 / kTicksPerSecond;

int g_overcommit = 0;

class ProcSuperBlock final : public synth::SynthSuperBlock {
 public:
  ProcSuperBlock(const FileSystemType& type, u64 flags)
      : SynthSuperBlock(type, magic::kProc, flags) {}
};

// ---- system-wide text files ----

Result<void> GenMeminfo(lib::StringBuilder& out, const Actor&, i64) {
  mm::PhysStats s = mm::GetPhysStats();
  const u64 kb = kPageSize / 1024;
  const u64 total = s.total_pages * kb;
  const u64 free = s.free_pages * kb;
  const u64 heap = mm::heap::GetStats().bytes_in_use / 1024;
  struct Line {
    const char* name;
    u64 value;
  };
  // Linux's order and spacing: the name and colon in 16 columns, the value in 8 [show_val_kb].
  const Line lines[] = {
      {"MemTotal:", total},
      {"MemFree:", free},
      {"MemAvailable:", free},
      {"Buffers:", 0},
      {"Cached:", 0},
      {"SwapCached:", 0},
      {"Active:", 0},
      {"Inactive:", 0},
      {"Active(anon):", 0},
      {"Inactive(anon):", 0},
      {"Active(file):", 0},
      {"Inactive(file):", 0},
      {"Unevictable:", 0},
      {"Mlocked:", 0},
      {"SwapTotal:", 0},
      {"SwapFree:", 0},
      {"Dirty:", 0},
      {"Writeback:", 0},
      {"AnonPages:", 0},
      {"Mapped:", 0},
      {"Shmem:", 0},
      {"KReclaimable:", 0},
      {"Slab:", heap},
      {"SReclaimable:", 0},
      {"SUnreclaim:", heap},
      {"KernelStack:", 0},
      {"PageTables:", 0},
      {"NFS_Unstable:", 0},
      {"Bounce:", 0},
      {"WritebackTmp:", 0},
      {"CommitLimit:", total},
      {"Committed_AS:", total - free},
      {"VmallocTotal:", 34359738367},
      {"VmallocUsed:", 0},
      {"VmallocChunk:", 0},
      {"Percpu:", 0},
  };
  for (const Line& l : lines) out.AppendFormat("%-16s%8lu kB\n", l.name, l.value);
  out.Append(
      "HugePages_Total:       0\nHugePages_Free:        0\nHugePages_Rsvd:        0\n"
      "HugePages_Surp:        0\nHugepagesize:       2048 kB\nHugetlb:               0 kB\n");
  return Ok();
}

Result<void> GenCpuinfo(lib::StringBuilder& out, const Actor&, i64) {
  // One CPU; the identification fields say what it is: a virtual CPU with no model data.
  out.Append(
      "processor\t: 0\n"
      "vendor_id\t: Aramid\n"
      "cpu family\t: 6\n"
      "model\t\t: 0\n"
      "model name\t: Aramid virtual CPU\n"
      "stepping\t: 0\n"
      "cpu MHz\t\t: 1000.000\n"
      "cache size\t: 0 KB\n"
      "physical id\t: 0\n"
      "siblings\t: 1\n"
      "core id\t\t: 0\n"
      "cpu cores\t: 1\n"
      "apicid\t\t: 0\n"
      "initial apicid\t: 0\n"
      "fpu\t\t: yes\n"
      "fpu_exception\t: yes\n"
      "cpuid level\t: 13\n"
      "wp\t\t: yes\n"
      "flags\t\t: fpu tsc cx8 cmov pat pse36 clflush mmx fxsr sse sse2 syscall nx lm "
      "rep_good nopl pni cx16 popcnt\n"
      "bugs\t\t:\n"
      "bogomips\t: 2000.00\n"
      "clflush size\t: 64\n"
      "cache_alignment\t: 64\n"
      "address sizes\t: 48 bits physical, 48 bits virtual\n"
      "power management:\n"
      "\n");
  return Ok();
}

struct TaskCounts {
  u64 user_ns = 0;
  u64 system_ns = 0;
  u32 tasks = 0;
  u32 running = 0;
  u32 blocked = 0;
  proc::Pid last_pid = 0;
};

TaskCounts CountTasks() {
  TaskCounts c;
  proc::ForEachTask(
      [](proc::Task& t, void* ctx) {
        auto& counts = *static_cast<TaskCounts*>(ctx);
        time::CpuTimes times = time::TaskCpuTimes(t);
        counts.user_ns += times.user_ns;
        counts.system_ns += times.system_ns;
        ++counts.tasks;
        if (t.state() == proc::TaskState::kRunnable) ++counts.running;
        if (t.tid() > counts.last_pid) counts.last_pid = t.tid();
      },
      &c);
  return c;
}

Result<void> GenStatSystem(lib::StringBuilder& out, const Actor&, i64) {
  TaskCounts c = CountTasks();
  const u64 now = hal::Clock::MonotonicNs();
  const u64 busy = c.user_ns + c.system_ns;
  const u64 idle = now > busy ? now - busy : 0;
  const u64 user = c.user_ns / kNsPerTick, system = c.system_ns / kNsPerTick;
  const u64 idle_ticks = idle / kNsPerTick;
  // user nice system idle iowait irq softirq steal guest guest_nice
  out.AppendFormat("cpu  %lu 0 %lu %lu 0 0 0 0 0 0\n", user, system, idle_ticks);
  out.AppendFormat("cpu0 %lu 0 %lu %lu 0 0 0 0 0 0\n", user, system, idle_ticks);
  out.Append("intr 0\nctxt 0\n");
  out.AppendFormat("btime %lu\n", hal::Clock::BootWallClockNs() / 1'000'000'000);
  out.AppendFormat("processes %d\n", c.last_pid);
  out.AppendFormat("procs_running %u\nprocs_blocked 0\n", c.running);
  out.Append("softirq 0 0 0 0 0 0 0 0 0 0 0\n");
  return Ok();
}

Result<void> GenUptime(lib::StringBuilder& out, const Actor&, i64) {
  TaskCounts c = CountTasks();
  const u64 now = hal::Clock::MonotonicNs();
  const u64 busy = c.user_ns + c.system_ns;
  const u64 idle = now > busy ? now - busy : 0;
  const u64 cs = 10'000'000;  // centiseconds
  out.AppendFormat("%lu.%02lu %lu.%02lu\n", now / 1'000'000'000, now / cs % 100,
                   idle / 1'000'000'000, idle / cs % 100);
  return Ok();
}

Result<void> GenLoadavg(lib::StringBuilder& out, const Actor&, i64) {
  // No load average is kept: three zeros, then runnable/total tasks and the last pid.
  TaskCounts c = CountTasks();
  out.AppendFormat("0.00 0.00 0.00 %u/%u %d\n", c.running, c.tasks, c.last_pid);
  return Ok();
}

Result<void> GenVersion(lib::StringBuilder& out, const Actor&, i64) {
  out.AppendFormat("Linux version %s (aramid@aramid) (aramid %s) %s\n", kUtsRelease, kVersion,
                   syscalls::kUtsVersion);
  return Ok();
}

Result<void> GenFilesystems(lib::StringBuilder& out, const Actor&, i64) {
  ForEachFileSystem([&](const FileSystemType& t) {
    out.AppendFormat("%s\t%s\n", t.requires_device ? "" : "nodev", t.name);
  });
  return Ok();
}

// ---- /proc/sys ----

// A written value: trailing newlines (echo's) are not part of it.
lib::string_view Trim(lib::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\0')) s = s.substr(0, s.size() - 1);
  return s;
}

Result<void> GenHostname(lib::StringBuilder& out, const Actor&, i64 domain) {
  out.Append(domain != 0 ? syscalls::DomainName() : syscalls::HostName());
  out.Append('\n');
  return Ok();
}
Result<usize> StoreHostname(lib::string_view text, i64 domain) {
  lib::string_view v = Trim(text);
  TRY(domain != 0 ? syscalls::SetDomainName(v) : syscalls::SetHostName(v));
  return text.size();
}

Result<void> GenOsrelease(lib::StringBuilder& out, const Actor&, i64) {
  out.AppendFormat("%s\n", kUtsRelease);
  return Ok();
}
Result<void> GenOstype(lib::StringBuilder& out, const Actor&, i64) {
  out.Append("Linux\n");
  return Ok();
}
Result<void> GenKernelVersion(lib::StringBuilder& out, const Actor&, i64) {
  out.AppendFormat("%s\n", syscalls::kUtsVersion);
  return Ok();
}
Result<void> GenPidMax(lib::StringBuilder& out, const Actor&, i64) {
  out.AppendFormat("%d\n", proc::kPidMax);
  return Ok();
}

Result<void> GenOvercommit(lib::StringBuilder& out, const Actor&, i64) {
  out.AppendFormat("%d\n", g_overcommit);
  return Ok();
}
Result<usize> StoreOvercommit(lib::string_view text, i64) {
  lib::string_view v = Trim(text);
  if (v.size() != 1 || v[0] < '0' || v[0] > '2') return Errno::kEINVAL;
  g_overcommit = v[0] - '0';
  return text.size();
}

constexpr u32 kRo = mode::kRegular | 0444;
constexpr u32 kRw = mode::kRegular | 0644;
constexpr u32 kDir = mode::kDirectory | 0555;
constexpr u32 kLnk = mode::kSymlink | 0777;

const TableDir::Entry kKernelEntries[] = {
    {"domainname", kRw, &TableDir::MakeText, &GenHostname, &StoreHostname},
    {"hostname", kRw, &TableDir::MakeText, &GenHostname, &StoreHostname},
    {"osrelease", kRo, &TableDir::MakeText, &GenOsrelease},
    {"ostype", kRo, &TableDir::MakeText, &GenOstype},
    {"pid_max", kRw, &TableDir::MakeText, &GenPidMax},
    {"version", kRo, &TableDir::MakeText, &GenKernelVersion},
};

const TableDir::Entry kVmEntries[] = {
    {"overcommit_memory", kRw, &TableDir::MakeText, &GenOvercommit, &StoreOvercommit},
};

// domainname and hostname share generators; the argument tells them apart.
Result<lib::RefPtr<Inode>> MakeKernelDir(SuperBlock& sb, u64 ino, const TableDir::Entry&, i64);

class KernelDir final : public TableDir {
 public:
  KernelDir(SuperBlock& sb, u64 ino) : TableDir(sb, ino, kKernelEntries, 0) {}
  Result<lib::RefPtr<Inode>> Lookup(lib::string_view name) override {
    if (name == "domainname") {
      Inode* n = TRY(lib::TryNew<synth::FnTextInode>(sb(), synth::ChildIno(ino(), 0), 0644,
                                                     &GenHostname, &StoreHostname, 1));
      return lib::AdoptRef(n);
    }
    return TableDir::Lookup(name);
  }
};

Result<lib::RefPtr<Inode>> MakeKernelDir(SuperBlock& sb, u64 ino, const TableDir::Entry&, i64) {
  Inode* n = TRY(lib::TryNew<KernelDir>(sb, ino));
  return lib::AdoptRef(n);
}

template <const TableDir::Entry* kEntries, usize kCount>
Result<lib::RefPtr<Inode>> MakeTable(SuperBlock& sb, u64 ino, const TableDir::Entry&, i64 arg) {
  Inode* n =
      TRY(lib::TryNew<TableDir>(sb, ino, lib::span<const TableDir::Entry>(kEntries, kCount), arg));
  return lib::AdoptRef(n);
}

const TableDir::Entry kSysEntries[] = {
    {"kernel", kDir, &MakeKernelDir},
    {"vm", kDir, &MakeTable<kVmEntries, sizeof(kVmEntries) / sizeof(kVmEntries[0])>},
};

// ---- self, thread-self, mounts ----

class SelfLink final : public synth::LinkInode {
 public:
  SelfLink(SuperBlock& sb, u64 ino, bool thread) : LinkInode(sb, ino), thread_(thread) {}
  Result<LinkTarget> GetLink(const Actor& actor) override {
    proc::Process* p = actor.task != nullptr ? actor.task->process() : nullptr;
    if (p == nullptr) return Errno::kENOENT;
    LinkTarget t;
    t.text = thread_ ? TRY(lib::String::TryFormat("%d/task/%d", p->pid(), actor.task->tid()))
                     : TRY(lib::String::TryFormat("%d", p->pid()));
    return t;
  }

 private:
  bool thread_;
};

Result<lib::RefPtr<Inode>> MakeSelf(SuperBlock& sb, u64 ino, const TableDir::Entry& e, i64) {
  Inode* n = TRY(lib::TryNew<SelfLink>(sb, ino, e.name[0] == 't'));
  return lib::AdoptRef(n);
}

Result<lib::RefPtr<Inode>> MakeMountsLink(SuperBlock& sb, u64 ino, const TableDir::Entry&, i64) {
  lib::String target = TRY(lib::String::TryFrom("self/mounts"));
  Inode* n = TRY(lib::TryNew<synth::FixedLinkInode>(sb, ino, lib::move(target)));
  return lib::AdoptRef(n);
}

const TableDir::Entry kRootEntries[] = {
    {"self", kLnk, &MakeSelf},
    {"thread-self", kLnk, &MakeSelf},
    {"sys", kDir, &MakeTable<kSysEntries, sizeof(kSysEntries) / sizeof(kSysEntries[0])>},
    {"cpuinfo", kRo, &TableDir::MakeText, &GenCpuinfo},
    {"filesystems", kRo, &TableDir::MakeText, &GenFilesystems},
    {"loadavg", kRo, &TableDir::MakeText, &GenLoadavg},
    {"meminfo", kRo, &TableDir::MakeText, &GenMeminfo},
    {"mounts", kLnk, &MakeMountsLink},
    {"stat", kRo, &TableDir::MakeText, &GenStatSystem},
    {"uptime", kRo, &TableDir::MakeText, &GenUptime},
    {"version", kRo, &TableDir::MakeText, &GenVersion},
};

lib::optional<proc::Pid> ParsePid(lib::string_view name) {
  if (name.empty() || name.size() > 9 || name[0] == '0') return {};
  proc::Pid v = 0;
  for (char c : name) {
    if (c < '0' || c > '9') return {};
    v = v * 10 + (c - '0');
  }
  return v;
}

class Root final : public TableDir {
 public:
  Root(SuperBlock& sb) : TableDir(sb, kRootIno, kRootEntries, 0) {}

 protected:
  // /proc/<pid> for every process; a thread id that is not a process's also resolves (as on
  // Linux, where /proc/<tid> exists but is not listed).
  Result<lib::RefPtr<Inode>> LookupExtra(lib::string_view name) override {
    lib::optional<proc::Pid> pid = ParsePid(name);
    if (!pid) return Errno::kENOENT;
    if (proc::FindProcess(*pid) != nullptr)
      return MakePidDir(sb(), PidDirIno(*pid, 0), PidArg(*pid, 0));
    proc::Task* t = proc::FindTask(*pid);
    if (t == nullptr || t->process() == nullptr) return Errno::kENOENT;
    proc::Pid tgid = t->process()->pid();
    return MakePidDir(sb(), PidDirIno(tgid, 0), PidArg(tgid, 0));
  }
  // Positions are pids: the listing resumes at the first process at or above one.
  Result<void> ReadDirExtra(u64& index, DirSink& sink) override {
    for (; index < static_cast<u64>(proc::kPidMax); ++index) {
      proc::Pid pid = static_cast<proc::Pid>(index);
      if (pid == 0 || proc::FindProcess(pid) == nullptr) continue;
      char name[12];
      usize n = lib::Snprintf(name, sizeof(name), "%d", pid);
      if (!sink.Emit(lib::string_view(name, n), PidDirIno(pid, 0), dt::kDir, CookieOf(index + 1))) {
        return Ok();
      }
    }
    return Ok();
  }
};

Result<lib::RefPtr<Dentry>> MountProc(const FileSystemType& type, const MountArgs& args) {
  ProcSuperBlock* sb = TRY(lib::TryNew<ProcSuperBlock>(type, args.flags));
  lib::RefPtr<SuperBlock> hold = lib::AdoptRef<SuperBlock>(sb);
  // Options Linux accepts (hidepid=, gid=, subset=) are not enforced; others are EINVAL.
  TRY(ForEachMountOption(args.data, [](lib::string_view key, lib::string_view) -> Result<void> {
    if (key == "hidepid" || key == "gid" || key == "subset") return Ok();
    return Errno::kEINVAL;
  }));
  Inode* root = TRY(lib::TryNew<Root>(*sb));
  return Dentry::CreateRoot(lib::AdoptRef(root));
}

}  // namespace

const FileSystemType kProcType{"proc", false, &MountProc};

int OvercommitPolicy() { return g_overcommit; }

proc::Process* ProcessOf(i64 arg) { return proc::FindProcess(TgidOf(arg)); }

proc::Task* TaskOf(i64 arg) {
  proc::Process* p = ProcessOf(arg);
  if (p == nullptr) return nullptr;
  if (TidOf(arg) == 0) return p->leader();
  proc::Task* t = proc::FindTask(TidOf(arg));
  return t != nullptr && t->process() == p ? t : nullptr;
}

}  // namespace kernel::fs::procfs
