#include "kernel/syscalls/args.h"

namespace kernel::syscalls {

void ArgTraits<UserCString>::Trace(lib::FormatSink& out, UserCString s) {
  if (s.is_null()) {
    lib::Format(out, "NULL");
    return;
  }
  constexpr usize kShown = 64;
  char buf[kShown + 1];
  // Copy at most kShown+1 bytes: enough to know whether the string goes on past what we show.
  isize n = hal::UserCopy::StrncpyFromUser(buf, s.addr(), sizeof(buf));
  if (n < 0 || !mm::IsUserRange(s.addr(), 1)) {
    lib::Format(out, "%#lx", s.addr());
    return;
  }
  usize shown = static_cast<usize>(n) < kShown ? static_cast<usize>(n) : kShown;
  lib::Format(out, "\"");
  for (usize i = 0; i < shown; ++i) {
    unsigned char c = static_cast<unsigned char>(buf[i]);
    switch (c) {
      case '"':
        lib::Format(out, "\\\"");
        break;
      case '\\':
        lib::Format(out, "\\\\");
        break;
      case '\n':
        lib::Format(out, "\\n");
        break;
      case '\t':
        lib::Format(out, "\\t");
        break;
      default:
        if (c < 0x20 || c >= 0x7f) {
          lib::Format(out, "\\x%02x", c);
        } else {
          lib::Format(out, "%c", c);
        }
    }
  }
  lib::Format(out, static_cast<usize>(n) > kShown ? "\"..." : "\"");
}

}  // namespace kernel::syscalls
