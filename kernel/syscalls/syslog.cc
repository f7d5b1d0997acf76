#include "kernel/syscalls/syslog.h"

#include "kernel/debug/log.h"
#include "kernel/debug/log_buffer.h"
#include "kernel/lib/alloc.h"
#include "kernel/mm/user_ptr.h"
#include "kernel/proc/wait_queue.h"
#include "kernel/time/timer.h"

namespace kernel::syscalls {
namespace {

// SYSLOG_ACTION_* [man 2 syslog; linux include/linux/syslog.h].
enum Action : int {
  kClose = 0,
  kOpen = 1,
  kRead = 2,
  kReadAll = 3,
  kReadClear = 4,
  kClear = 5,
  kConsoleOff = 6,
  kConsoleOn = 7,
  kConsoleLevel = 8,
  kSizeUnread = 9,
  kSizeBuffer = 10,
};

// How often a blocked SYSLOG_ACTION_READ looks for new messages: Printk may run anywhere
// (even inside the scheduler), so it never wakes sleepers itself.
constexpr u64 kReadPollNs = 100'000'000;

// Copies what `fill` puts in a kernel buffer of min(len, buffer size) bytes to `buf`.
template <typename Fill>
Result<i64> CopyOut(UserOut<char> buf, int len, Fill fill) {
  const usize n =
      static_cast<usize>(len) < log::kLogBufferSize ? static_cast<usize>(len) : log::kLogBufferSize;
  char* tmp = static_cast<char*>(lib::Allocate(n));
  if (tmp == nullptr) return Errno::kENOMEM;
  const usize got = fill(tmp, n);
  Result<void> r = mm::CopyToUser(buf.addr(), tmp, got);
  lib::Free(tmp);
  TRY(r);
  return static_cast<i64>(got);
}

int g_saved_console_level = -1;  // while SYSLOG_ACTION_CONSOLE_OFF is in effect

}  // namespace

// int syslog(int type, char *bufp, int len);   [man 2 syslog]
Result<i64> sys_syslog(proc::Task& task, int type, UserOut<char> buf, int len) {
  // With kernel.dmesg_restrict = 0 (Linux's default), reading the whole buffer and its size is
  // open to everyone; every other action needs CAP_SYSLOG (root here).
  if (type != kReadAll && type != kSizeBuffer && task.credentials().euid != 0) {
    return Errno::kEPERM;
  }
  switch (type) {
    case kClose:
    case kOpen:
      return 0;
    case kRead: {
      if (buf.addr() == 0 || len < 0) return Errno::kEINVAL;
      if (len == 0) return 0;
      proc::WaitQueue nobody;
      while (log::BufferUnread() == 0) {
        Result<void> r = nobody.WaitInterruptibleUntil([] { return log::BufferUnread() != 0; },
                                                       time::MonotonicNs() + kReadPollNs);
        if (r.is_error() && r.error() != Errno::kETIMEDOUT) return r.error();
      }
      return CopyOut(buf, len, [](char* out, usize n) { return log::BufferReadUnread(out, n); });
    }
    case kReadAll:
    case kReadClear: {
      if (buf.addr() == 0 || len < 0) return Errno::kEINVAL;
      if (len == 0) return 0;
      Result<i64> r =
          CopyOut(buf, len, [](char* out, usize n) { return log::BufferReadAll(out, n); });
      if (r.ok() && type == kReadClear) log::BufferClear();
      return r;
    }
    case kClear:
      log::BufferClear();
      return 0;
    case kConsoleOff:
      if (g_saved_console_level < 0) g_saved_console_level = log::level();
      log::SetLevel(0);  // only emergencies reach the console, as Linux's minimum level
      return 0;
    case kConsoleOn:
      if (g_saved_console_level >= 0) log::SetLevel(g_saved_console_level);
      g_saved_console_level = -1;
      return 0;
    case kConsoleLevel:
      if (len < 1 || len > 8) return Errno::kEINVAL;
      // Linux's console_loglevel N shows messages with level < N.
      log::SetLevel(len - 1);
      g_saved_console_level = -1;
      return 0;
    case kSizeUnread:
      return static_cast<i64>(log::BufferUnread());
    case kSizeBuffer:
      return static_cast<i64>(log::kLogBufferSize);
    default:
      return Errno::kEINVAL;
  }
}

}  // namespace kernel::syscalls
