#pragma once
/// The kernel log: printk with syslog levels, written to the console port chosen by the
/// command line (`console=ttyS0|ttyS1`, `loglevel=N`).
#include "kernel/lib/types.h"

namespace kernel::log {

enum class Level : int {
  kEmerg = 0,
  kAlert = 1,
  kCrit = 2,
  kError = 3,
  kWarning = 4,
  kNotice = 5,
  kInfo = 6,
  kDebug = 7,
};

/// Messages with a level numerically above this are dropped (Linux's console_loglevel).
void SetLevel(int level);
int level();
/// Which console port receives the log (0 = ttyS0, 1 = ttyS1).
void SetPort(unsigned port);

void Printk(Level level, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
/// Writes raw text regardless of level (panics, banners).
void Write(const char* s, usize n);

}  // namespace kernel::log

#define ARAMID_LOG(level, ...) ::kernel::log::Printk(::kernel::log::Level::level, __VA_ARGS__)
#define LOG_ERROR(...) ARAMID_LOG(kError, __VA_ARGS__)
#define LOG_WARN(...) ARAMID_LOG(kWarning, __VA_ARGS__)
#define LOG_INFO(...) ARAMID_LOG(kInfo, __VA_ARGS__)
#define LOG_DEBUG(...) ARAMID_LOG(kDebug, __VA_ARGS__)
