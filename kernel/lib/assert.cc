#include "kernel/lib/assert.h"

#include <cstdarg>

#include "kernel/lib/format.h"
#include "kernel/lib/result.h"

namespace kernel::lib {

void AssertFail(const char* file, int line, const char* condition) {
  Panic("%s:%d: assertion failed: %s", file, line, condition);
}

void AssertFail(const char* file, int line, const char* condition, const char* fmt, ...) {
  // Panic takes a format, not a va_list: render the message first. A message that does not
  // fit is cut; the condition and location always fit.
  char message[256];
  va_list args;
  va_start(args, fmt);
  VSnprintf(message, sizeof(message), fmt, args);
  va_end(args);
  Panic("%s:%d: assertion failed: %s: %s", file, line, condition, message);
}

}  // namespace kernel::lib
