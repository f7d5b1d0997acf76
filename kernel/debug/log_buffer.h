#pragma once
/// The kernel log buffer that syslog(2) reads (`dmesg`, `klogd`): every message Printk formats,
/// at every level, kept in a ring of kLogBufferSize bytes in the classic text form, one
/// "<level>[seconds.micros] text\n" line per message line, as Linux's syslog(2) returns them
/// [man 2 syslog]. When the ring is full the oldest bytes go. Messages still reach the console
/// only by the console level (loglevel=), as on Linux.
#include "kernel/lib/types.h"

namespace kernel::log {

inline constexpr usize kLogBufferSize = 64ul * 1024;

/// Appends `n` bytes of a message at `level` (0-7), starting a record line at each line start.
void BufferAppend(int level, const char* s, usize n);

/// Copies the most recent bytes that fit in `n` (whole lines, oldest first) to `out`; returns
/// how many. `consume`: the unread mark moves past everything (READ_CLEAR / READ).
usize BufferReadAll(char* out, usize n);
/// Bytes appended since the last destructive read or clear (SYSLOG_ACTION_SIZE_UNREAD).
usize BufferUnread();
/// Copies up to `n` unread bytes, oldest first, and marks them read (SYSLOG_ACTION_READ).
usize BufferReadUnread(char* out, usize n);
/// Forgets everything (SYSLOG_ACTION_CLEAR): later reads see only newer messages.
void BufferClear();

/// For tests: empties the ring and resets its counters.
void BufferResetForTesting();

}  // namespace kernel::log
