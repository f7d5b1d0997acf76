#include "kernel/debug/log_buffer.h"

#include <hal/interrupts.h>

#include "kernel/lib/format.h"
#include "kernel/time/timer.h"

namespace kernel::log {
namespace {

// A byte ring addressed by the running count of bytes ever written (`head_`): byte k lives at
// k % size while k >= head_ - size. `clear_` and `read_` are such counts too.
char g_ring[kLogBufferSize];
u64 g_head = 0;   // bytes ever appended
u64 g_clear = 0;  // READ_ALL starts no earlier than this (CLEAR, READ_CLEAR)
u64 g_read = 0;   // the destructive reader's position (READ, SIZE_UNREAD)
bool g_line_start = true;

void Put(const char* s, usize n) {
  for (usize i = 0; i < n; ++i) g_ring[(g_head + i) % kLogBufferSize] = s[i];
  g_head += n;
}

u64 Oldest() { return g_head > kLogBufferSize ? g_head - kLogBufferSize : 0; }

char At(u64 k) { return g_ring[k % kLogBufferSize]; }

// The first line start at or after `k` (a partly overwritten line is dropped). The byte
// before the oldest one is gone (its slot holds the newest byte), so it proves nothing.
u64 LineStartFrom(u64 k) {
  if (k == 0 || (k > Oldest() && At(k - 1) == '\n')) return k;
  while (k < g_head && At(k) != '\n') ++k;
  return k < g_head ? k + 1 : g_head;
}

usize CopyOut(u64 from, char* out, usize n) {
  usize copied = 0;
  for (u64 k = from; k < g_head && copied < n; ++k) out[copied++] = At(k);
  return copied;
}

}  // namespace

void BufferAppend(int level, const char* s, usize n) {
  hal::IrqGuard guard;
  for (usize i = 0; i < n;) {
    if (g_line_start) {
      const u64 ns = time::MonotonicNs();
      char prefix[40];
      usize len = lib::Snprintf(prefix, sizeof(prefix), "<%d>[%5lu.%06lu] ", level & 7,
                                ns / 1'000'000'000, ns / 1000 % 1'000'000);
      Put(prefix, len < sizeof(prefix) ? len : sizeof(prefix) - 1);
      g_line_start = false;
    }
    usize end = i;
    while (end < n && s[end] != '\n') ++end;
    if (end < n) {
      ++end;  // the newline ends the record
      g_line_start = true;
    }
    Put(s + i, end - i);
    i = end;
  }
}

usize BufferReadAll(char* out, usize n) {
  hal::IrqGuard guard;
  u64 from = g_clear > Oldest() ? g_clear : Oldest();
  from = LineStartFrom(from);
  // The most recent whole lines that fit.
  while (g_head - from > n) {
    u64 next = LineStartFrom(from + 1);
    if (next == from) break;
    from = next;
  }
  return CopyOut(from, out, n);
}

usize BufferUnread() {
  hal::IrqGuard guard;
  u64 from = g_read > Oldest() ? g_read : Oldest();
  return static_cast<usize>(g_head - from);
}

usize BufferReadUnread(char* out, usize n) {
  hal::IrqGuard guard;
  u64 from = g_read > Oldest() ? g_read : Oldest();
  usize copied = CopyOut(from, out, n);
  g_read = from + copied;
  return copied;
}

void BufferClear() {
  hal::IrqGuard guard;
  g_clear = g_head;
  g_read = g_head;
}

void BufferResetForTesting() {
  hal::IrqGuard guard;
  g_head = g_clear = g_read = 0;
  g_line_start = true;
}

}  // namespace kernel::log
