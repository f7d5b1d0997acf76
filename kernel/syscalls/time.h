#pragma once
// Clocks and sleeping [kernel/syscalls/time.cc].
#include "kernel/proc/task.h"
#include "kernel/syscalls/args.h"

namespace kernel::syscalls {

Result<void> sys_clock_gettime(proc::Task& task, int clock, UserOut<u8> tp);
Result<void> sys_clock_getres(proc::Task& task, int clock, UserOut<u8> res);
Result<void> sys_gettimeofday(proc::Task& task, UserOut<u8> tv, UserOut<u8> tz);
Result<i64> sys_time(proc::Task& task, UserOut<i64> tloc);
Result<void> sys_nanosleep(proc::Task& task, UserIn<u8> req, UserOut<u8> rem);
Result<void> sys_clock_nanosleep(proc::Task& task, int clock, int flags, UserIn<u8> req,
                                 UserOut<u8> rem);

// clang-format off
#define ARAMID_SYSCALLS_TIME(X) \
  X(35, nanosleep)              \
  X(96, gettimeofday)           \
  X(201, time)                  \
  X(228, clock_gettime)         \
  X(229, clock_getres)          \
  X(230, clock_nanosleep)
// clang-format on

}  // namespace kernel::syscalls
