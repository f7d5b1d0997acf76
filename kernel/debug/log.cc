#include "kernel/debug/log.h"

#include <hal/console.h>

#include "kernel/debug/log_buffer.h"
#include "kernel/lib/format.h"

namespace kernel::log {
namespace {

int g_level = static_cast<int>(Level::kInfo);
unsigned g_port = 0;

}  // namespace

void SetLevel(int level) { g_level = level; }
int level() { return g_level; }
void SetPort(unsigned port) { g_port = port; }

void Write(const char* s, usize n) {
  // The serial line wants CRLF; the log is written with plain '\n'.
  usize start = 0;
  for (usize i = 0; i < n; ++i) {
    if (s[i] == '\n') {
      hal::Console::Write(g_port, s + start, i - start);
      hal::Console::Write(g_port, "\r\n", 2);
      start = i + 1;
    }
  }
  hal::Console::Write(g_port, s + start, n - start);
}

// Every message goes to the syslog(2) buffer; the console gets those at or below its level.
class BufferSink final : public lib::FormatSink {
 public:
  BufferSink(int level, bool console) : level_(level), console_(console) {}
  void Put(const char* s, usize n) override {
    BufferAppend(level_, s, n);
    if (console_) Write(s, n);
  }

 private:
  int level_;
  bool console_;
};

void Printk(Level level, const char* fmt, ...) {
  BufferSink sink(static_cast<int>(level), static_cast<int>(level) <= g_level);
  va_list args;
  va_start(args, fmt);
  lib::VFormat(sink, fmt, args);
  va_end(args);
}

}  // namespace kernel::log
