#pragma once
// syslog(2): the kernel log buffer (kernel/debug/log_buffer.h) for dmesg and klogd
// [kernel/syscalls/syslog.cc].
#include "kernel/proc/task.h"
#include "kernel/syscalls/args.h"

namespace kernel::syscalls {

Result<i64> sys_syslog(proc::Task& task, int type, UserOut<char> buf, int len);

// clang-format off
#define ARAMID_SYSCALLS_SYSLOG(X) \
  X(103, syslog)
// clang-format on

}  // namespace kernel::syscalls
