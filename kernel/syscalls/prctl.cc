#include "kernel/syscalls/prctl.h"

#include "kernel/mm/user_ptr.h"
#include "kernel/proc/process.h"

namespace kernel::syscalls {
namespace {

// Options from <linux/prctl.h>.
constexpr int kSetPdeathsig = 1, kGetPdeathsig = 2, kGetDumpable = 3, kSetDumpable = 4,
              kGetKeepCaps = 7, kSetKeepCaps = 8, kSetName = 15, kGetName = 16, kGetSeccomp = 21,
              kCapbsetRead = 23, kGetTimerslack = 30, kSetTimerslack = 29, kSetChildSubreaper = 36,
              kGetChildSubreaper = 37, kSetNoNewPrivs = 38, kGetNoNewPrivs = 39,
              kGetTidAddress = 40, kSetThpDisable = 41, kGetThpDisable = 42, kCapAmbient = 47;
constexpr int kMaxSignal = 64;
constexpr int kLastCapability = 40;  // CAP_CHECKPOINT_RESTORE

}  // namespace

// int prctl(int option, unsigned long arg2, arg3, arg4, arg5);  [man 2 prctl]
Result<i64> sys_prctl(proc::Task& task, int option, u64 arg2, u64 arg3, u64 arg4, u64 arg5) {
  switch (option) {
    case kSetPdeathsig:
      if (arg2 > kMaxSignal) return Errno::kEINVAL;
      task.pdeath_signal_ = static_cast<int>(arg2);
      return 0;
    case kGetPdeathsig:
      TRY(mm::UserOut<i32>(arg2).Write(task.pdeath_signal_));
      return 0;
    case kGetDumpable:
      return task.dumpable_ ? 1 : 0;
    case kSetDumpable:
      if (arg2 > 1) return Errno::kEINVAL;  // SUID_DUMP_ROOT (2) is not settable
      task.dumpable_ = arg2 == 1;
      return 0;
    case kGetKeepCaps:
      return 0;
    case kSetKeepCaps:
      return arg2 > 1 ? Result<i64>(Errno::kEINVAL) : Result<i64>(0);
    case kSetName: {
      // TASK_COMM_LEN is 16: the name is cut to 15 bytes, silently.
      char name[16] = {};
      for (usize i = 0; i + 1 < sizeof(name); ++i) {
        TRY(mm::CopyFromUser(&name[i], arg2 + i, 1));
        if (name[i] == '\0') break;
      }
      task.SetName(name);
      return 0;
    }
    case kGetName: {
      char name[16] = {};
      const char* n = task.name();
      for (usize i = 0; i + 1 < sizeof(name) && n[i] != '\0'; ++i) name[i] = n[i];
      TRY(mm::CopyToUser(arg2, name, sizeof(name)));
      return 0;
    }
    case kGetSeccomp:
      return 0;  // SECCOMP_MODE_DISABLED
    case kCapbsetRead:
      if (arg2 > kLastCapability) return Errno::kEINVAL;
      return 1;
    case kGetTimerslack:
      return 50'000;  // the default 50 us
    case kSetTimerslack:
      return 0;
    case kSetChildSubreaper:
      task.process()->set_child_subreaper(arg2 != 0);
      return 0;
    case kGetChildSubreaper:
      TRY(mm::UserOut<i32>(arg2).Write(task.process()->child_subreaper() ? 1 : 0));
      return 0;
    case kSetNoNewPrivs:
      if (arg2 != 1 || arg3 != 0 || arg4 != 0 || arg5 != 0) return Errno::kEINVAL;
      task.no_new_privs_ = true;
      return 0;
    case kGetNoNewPrivs:
      if (arg2 != 0 || arg3 != 0 || arg4 != 0 || arg5 != 0) return Errno::kEINVAL;
      return task.no_new_privs_ ? 1 : 0;
    case kGetTidAddress:
      TRY(mm::UserOut<u64>(arg2).Write(task.clear_child_tid_));
      return 0;
    case kSetThpDisable:
    case kGetThpDisable:
      return 0;
    case kCapAmbient:  // no ambient capabilities exist here: as for an unknown option
    default:
      return Errno::kEINVAL;
  }
}

}  // namespace kernel::syscalls
