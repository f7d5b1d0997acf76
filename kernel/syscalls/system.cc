#include "kernel/syscalls/system.h"

#include <hal/power.h>

#include "kernel/debug/log.h"
#include "kernel/fs/fd_table.h"
#include "kernel/mm/layout.h"
#include "kernel/mm/page_alloc.h"
#include "kernel/proc/pid_table.h"
#include "kernel/proc/process.h"
#include "kernel/random/random.h"
#include "kernel/time/timer.h"
#include "kernel/version.h"

namespace kernel::syscalls {
namespace {

constexpr usize kUtsLen = 65;  // __NEW_UTS_LEN + 1
char g_hostname[kUtsLen] = "(none)";
char g_domainname[kUtsLen] = "(none)";

void CopyField(char* dst, const char* src) {
  usize i = 0;
  for (; src[i] != '\0' && i + 1 < kUtsLen; ++i) dst[i] = src[i];
  for (; i < kUtsLen; ++i) dst[i] = '\0';
}

Result<void> SetName(proc::Task& task, char* dst, UserIn<char> name, int len) {
  if (!(task.credentials().euid == 0)) return Errno::kEPERM;
  if (len < 0 || static_cast<usize>(len) >= kUtsLen) return Errno::kEINVAL;
  char tmp[kUtsLen] = {};
  TRY(name.ReadBytes(tmp, static_cast<usize>(len)));
  for (usize i = 0; i < kUtsLen; ++i) dst[i] = i < static_cast<usize>(len) ? tmp[i] : '\0';
  return Ok();
}

struct UserRlimit {
  u64 cur;
  u64 max;
};

// sysctl fs.nr_open: the highest RLIMIT_NOFILE anyone may set.
constexpr u64 kNrOpen = 1024ul * 1024;

}  // namespace

lib::string_view HostName() { return lib::string_view(g_hostname); }
lib::string_view DomainName() { return lib::string_view(g_domainname); }

namespace {
Result<void> SetKernelName(char* dst, lib::string_view name) {
  if (name.size() >= kUtsLen) return Errno::kEINVAL;
  for (usize i = 0; i < kUtsLen; ++i) dst[i] = i < name.size() ? name[i] : '\0';
  return Ok();
}
}  // namespace

Result<void> SetHostName(lib::string_view name) { return SetKernelName(g_hostname, name); }
Result<void> SetDomainName(lib::string_view name) { return SetKernelName(g_domainname, name); }

// int uname(struct utsname *buf);  [man 2 uname]
Result<void> sys_uname(proc::Task&, UserOut<u8> buf) {
  char uts[6][kUtsLen];
  CopyField(uts[0], "Linux");
  CopyField(uts[1], g_hostname);
  CopyField(uts[2], kUtsRelease);
  CopyField(uts[3], kUtsVersion);
  CopyField(uts[4], "x86_64");
  CopyField(uts[5], g_domainname);
  return buf.WriteBytes(uts, sizeof(uts));
}

// int sethostname(const char *name, size_t len);  [man 2 sethostname]
Result<void> sys_sethostname(proc::Task& task, UserIn<char> name, int len) {
  return SetName(task, g_hostname, name, len);
}

// int setdomainname(const char *name, size_t len);  [man 2 setdomainname]
Result<void> sys_setdomainname(proc::Task& task, UserIn<char> name, int len) {
  return SetName(task, g_domainname, name, len);
}

// ssize_t getrandom(void *buf, size_t buflen, unsigned int flags);  [man 2 getrandom]
Result<i64> sys_getrandom(proc::Task&, UserOut<u8> buf, u64 count, Hex flags) {
  constexpr u64 kNonBlock = 1, kRandom = 2, kInsecure = 4;
  const u64 f = flags.value & 0xffffffffull;
  if ((f & ~(kNonBlock | kRandom | kInsecure)) != 0) return Errno::kEINVAL;
  if ((f & (kRandom | kInsecure)) == (kRandom | kInsecure)) return Errno::kEINVAL;
  // One call returns at most MAX_RW_COUNT bytes.
  constexpr u64 kMaxRw = 0x7ffff000;
  if (count > kMaxRw) count = kMaxRw;
  u8 chunk[256];
  u64 done = 0;
  while (done < count) {
    usize n = count - done < sizeof(chunk) ? count - done : sizeof(chunk);
    random::GetBytes(chunk, n);
    if (mm::CopyToUser(buf.addr() + done, chunk, n).is_error()) {
      if (done == 0) return Errno::kEFAULT;
      break;
    }
    done += n;
  }
  return static_cast<i64>(done);
}

// int arch_prctl(int code, unsigned long addr);  [man 2 arch_prctl]
Result<i64> sys_arch_prctl(proc::Task& task, Hex code, u64 addr) {
  constexpr u64 kSetGs = 0x1001, kSetFs = 0x1002, kGetFs = 0x1003, kGetGs = 0x1004;
  constexpr u64 kGetCpuid = 0x1011, kSetCpuid = 0x1012;
  hal::UserRegs& regs = task.user_context().regs;
  switch (code.value & 0xffffffffull) {
    case kSetFs:
    case kSetGs:
      if (addr >= mm::kTaskSize) return Errno::kEPERM;
      (code.value == kSetFs ? regs.fs_base : regs.gs_base) = addr;
      return 0;
    case kGetFs:
      TRY(UserOut<u64>(addr).Write(regs.fs_base));
      return 0;
    case kGetGs:
      TRY(UserOut<u64>(addr).Write(regs.gs_base));
      return 0;
    case kGetCpuid:
      return 1;  // CPUID is allowed (no faulting)
    case kSetCpuid:
      return Errno::kENODEV;  // CPUID faulting is not offered
    default:
      return Errno::kEINVAL;
  }
}

// int prlimit(pid_t pid, int resource, const struct rlimit *new_limit,
//             struct rlimit *old_limit);  [man 2 prlimit]
Result<void> sys_prlimit64(proc::Task& task, int pid, unsigned resource, UserIn<u8> new_limit,
                           UserOut<u8> old_limit) {
  if (resource >= static_cast<unsigned>(proc::rlimit::kCount)) return Errno::kEINVAL;
  UserRlimit wanted{};
  if (!new_limit.is_null()) {
    TRY(new_limit.ReadBytes(&wanted, sizeof(wanted)));
    if (wanted.cur > wanted.max) return Errno::kEINVAL;
    if (resource == static_cast<unsigned>(proc::rlimit::kNofile) && wanted.max > kNrOpen) {
      return Errno::kEPERM;
    }
  }
  proc::Process* p = pid == 0 ? task.process() : proc::FindProcess(pid);
  if (p == nullptr) return Errno::kESRCH;
  if (p != task.process() && task.credentials().euid != 0) {
    // check_prlimit_permission: another process needs all three of its uids and gids to be
    // the caller's real ones (or privilege).
    const proc::Credentials& mine = task.credentials();
    const proc::Credentials& its = p->leader()->credentials();
    if (its.uid != mine.uid || its.euid != mine.uid || its.suid != mine.uid ||
        its.gid != mine.gid || its.egid != mine.gid || its.sgid != mine.gid) {
      return Errno::kEPERM;
    }
  }
  proc::RLimit& limit = p->rlimits().limits[resource];
  UserRlimit old{limit.cur, limit.max};
  if (!new_limit.is_null()) {
    if (wanted.max > limit.max && !(task.credentials().euid == 0)) {
      return Errno::kEPERM;
    }
    limit = {wanted.cur, wanted.max};
    // The signal code decides "core dumped" in wait statuses from its own copy.
    if (resource == static_cast<unsigned>(proc::rlimit::kCore)) {
      p->signals().core_rlimit = wanted.cur;
    }
    // The fd table enforces RLIMIT_NOFILE on every descriptor it hands out; Linux reads the
    // caller's rlimit at each allocation [fs/file.c alloc_fd, replace_fd], so every table the
    // process's threads use takes the new soft limit.
    if (resource == static_cast<unsigned>(proc::rlimit::kNofile)) {
      u32 nofile = wanted.cur < kNrOpen ? static_cast<u32>(wanted.cur) : static_cast<u32>(kNrOpen);
      p->ForEachThread([nofile](proc::Task& t) {
        if (t.fd_table()) t.fd_table()->set_limit(nofile);
      });
    }
  }
  if (!old_limit.is_null()) TRY(old_limit.WriteBytes(&old, sizeof(old)));
  return Ok();
}

// int getrlimit(int resource, struct rlimit *rlim);  [man 2 getrlimit]
Result<void> sys_getrlimit(proc::Task& task, unsigned resource, UserOut<u8> rlim) {
  if (resource >= static_cast<unsigned>(proc::rlimit::kCount)) return Errno::kEINVAL;
  const proc::RLimit& l = task.process()->rlimits().limits[resource];
  UserRlimit out{l.cur, l.max};
  return rlim.WriteBytes(&out, sizeof(out));
}

// int setrlimit(int resource, const struct rlimit *rlim);  [man 2 setrlimit]
Result<void> sys_setrlimit(proc::Task& task, unsigned resource, UserIn<u8> rlim) {
  if (resource >= static_cast<unsigned>(proc::rlimit::kCount)) return Errno::kEINVAL;
  return sys_prlimit64(task, 0, resource, rlim, UserOut<u8>(0));
}

// int sysinfo(struct sysinfo *info);  [man 2 sysinfo]
Result<void> sys_sysinfo(proc::Task&, UserOut<u8> info) {
  struct {
    i64 uptime;
    u64 loads[3];
    u64 totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    u16 procs;
    u16 pad;
    u32 pad2;
    u64 totalhigh, freehigh;
    u32 mem_unit;
    u8 reserved[4];
  } si = {};
  static_assert(sizeof(si) == 112);
  mm::PhysStats s = mm::GetPhysStats();
  si.uptime = static_cast<i64>(time::MonotonicNs() / 1'000'000'000);
  si.totalram = s.total_pages * kPageSize;
  si.freeram = s.free_pages * kPageSize;
  si.procs = static_cast<u16>(proc::TaskCount());
  si.mem_unit = 1;
  return info.WriteBytes(&si, sizeof(si));
}

}  // namespace kernel::syscalls

namespace kernel::syscalls {

// int reboot(int magic, int magic2, int cmd, void *arg);  [man 2 reboot]
// Linux checks the capability first, then the magic numbers, then the command. BusyBox init
// turns Ctrl-Alt-Del handling off at start (CAD_OFF) and calls HALT/POWER_OFF/RESTART for
// halt, poweroff and reboot after it has killed and synced everything.
Result<void> sys_reboot(proc::Task& task, Hex magic1, Hex magic2, Hex cmd, VirtAddr) {
  constexpr u32 kMagic1 = 0xfee1dead;
  constexpr u32 kMagic2[] = {672274793, 85072278, 369367448, 537993216};
  constexpr u32 kCadOn = 0x89abcdef, kCadOff = 0, kRestart = 0x01234567, kHalt = 0xcdef0123,
                kPowerOff = 0x4321fedc, kRestart2 = 0xa1b2c3d4;
  if (task.credentials().euid != 0) return Errno::kEPERM;
  if (static_cast<u32>(magic1.value) != kMagic1) return Errno::kEINVAL;
  bool magic_ok = false;
  for (u32 m : kMagic2) magic_ok |= static_cast<u32>(magic2.value) == m;
  if (!magic_ok) return Errno::kEINVAL;
  switch (static_cast<u32>(cmd.value)) {
    case kCadOn:
    case kCadOff:
      return Ok();  // no Ctrl-Alt-Del key reaches this kernel: nothing to route
    case kRestart:
    case kRestart2:
      LOG_INFO("reboot: restarting system\n");
      hal::Power::Reboot();
      break;
    case kHalt:
    case kPowerOff:
      LOG_INFO("reboot: power down\n");
      hal::Power::PowerOff();
      break;
    default:
      return Errno::kEINVAL;
  }
  Panic("reboot: the machine did not stop");
}

}  // namespace kernel::syscalls
