#pragma once
// Timers, CPU-time accounting and setting the clock [kernel/syscalls/time_ext.cc]. The basic
// clock reads and sleeps are in kernel/syscalls/time.* (proc's).
#include "kernel/proc/task.h"
#include "kernel/syscalls/args.h"
#include "kernel/time/timespec.h"

namespace kernel::syscalls {

using proc::Task;

/// struct tms [man 2 times], in clock ticks of USER_HZ = 100.
struct Tms {
  i64 utime, stime, cutime, cstime;
};
/// struct rusage [man 2 getrusage].
struct Rusage {
  time::Timeval utime;
  time::Timeval stime;
  i64 rest[14];  // maxrss ... nivcsw
};
static_assert(sizeof(Rusage) == 144);
/// struct sigevent [man 7 sigevent]: 64 bytes.
struct SigEvent {
  u64 value;
  i32 signo;
  i32 notify;
  i32 tid;  // _sigev_un._tid
  i32 pad[11];
};
static_assert(sizeof(SigEvent) == 64);

Result<void> sys_setitimer(Task& task, int which, UserIn<time::Itimerval> value,
                           UserOut<time::Itimerval> old);
Result<void> sys_getitimer(Task& task, int which, UserOut<time::Itimerval> value);
Result<u32> sys_alarm(Task& task, u32 seconds);
Result<i64> sys_times(Task& task, UserOut<Tms> buf);
Result<void> sys_getrusage(Task& task, int who, UserOut<Rusage> usage);
Result<void> sys_clock_settime(Task& task, int clock, UserIn<time::Timespec> tp);
Result<void> sys_settimeofday(Task& task, UserIn<time::Timeval> tv, UserIn<u8> tz);
Result<void> sys_timer_create(Task& task, int clock, UserIn<SigEvent> sevp, UserOut<i32> id);
Result<void> sys_timer_settime(Task& task, int id, int flags, UserIn<time::Itimerspec> value,
                               UserOut<time::Itimerspec> old);
Result<void> sys_timer_gettime(Task& task, int id, UserOut<time::Itimerspec> value);
Result<int> sys_timer_getoverrun(Task& task, int id);
Result<void> sys_timer_delete(Task& task, int id);

// clang-format off
#define ARAMID_SYSCALLS_TIME_EXT(X) \
  X(38, setitimer)                  \
  X(36, getitimer)                  \
  X(37, alarm)                      \
  X(100, times)                     \
  X(98, getrusage)                  \
  X(227, clock_settime)             \
  X(164, settimeofday)              \
  X(222, timer_create)              \
  X(223, timer_settime)             \
  X(224, timer_gettime)             \
  X(225, timer_getoverrun)          \
  X(226, timer_delete)
// clang-format on

}  // namespace kernel::syscalls
