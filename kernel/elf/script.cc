#include "kernel/elf/script.h"

namespace kernel::elf {
namespace {

bool SpaceTab(char c) { return c == ' ' || c == '\t'; }

// The first character in [p, end) that is not a space or tab, or null.
const char* NextNonSpaceTab(const char* p, const char* end) {
  for (; p < end; ++p) {
    if (!SpaceTab(*p)) return p;
  }
  return nullptr;
}

// The first space, tab or NUL in [p, end), or null.
const char* NextTerminator(const char* p, const char* end) {
  for (; p < end; ++p) {
    if (SpaceTab(*p) || *p == '\0') return p;
  }
  return nullptr;
}

}  // namespace

bool LooksLikeScript(const u8* head, usize n) { return n >= 2 && head[0] == '#' && head[1] == '!'; }

Result<ScriptLine> ParseScriptLine(const u8 (&head)[kExecHeadSize]) {
  char buf[kExecHeadSize];
  __builtin_memcpy(buf, head, kExecHeadSize);
  if (buf[0] != '#' || buf[1] != '!') return Errno::kENOEXEC;
  const char* buf_end = buf + kExecHeadSize - 1;
  char* i_end = nullptr;
  for (char* p = buf; p < buf + kExecHeadSize; ++p) {
    if (*p == '\n') {
      i_end = p;
      break;
    }
  }
  if (i_end == nullptr) {
    // No newline in the buffer: accept only if the name visibly ends inside it.
    const char* first = NextNonSpaceTab(buf + 2, buf_end);
    if (first == nullptr) return Errno::kENOEXEC;
    if (NextTerminator(first, buf_end) == nullptr) return Errno::kENOEXEC;
    i_end = const_cast<char*>(buf_end);
  }
  while (i_end > buf + 2 && SpaceTab(i_end[-1])) --i_end;
  *i_end = '\0';
  const char* i_name = NextNonSpaceTab(buf + 2, i_end);
  if (i_name == nullptr || i_name == i_end) return Errno::kENOEXEC;
  const char* i_sep = NextTerminator(i_name, i_end);
  const char* i_arg = nullptr;
  if (i_sep != nullptr && *i_sep != '\0') i_arg = NextNonSpaceTab(i_sep, i_end);
  ScriptLine line;
  const char* name_end = i_sep != nullptr ? i_sep : i_end;
  line.interpreter = TRY(lib::String::TryFrom(lib::string_view(i_name, name_end - i_name)));
  if (i_arg != nullptr) {
    // The argument is everything up to the end of the line (spaces included), as in Linux.
    usize len = 0;
    while (i_arg + len < i_end && i_arg[len] != '\0') ++len;
    line.argument = TRY(lib::String::TryFrom(lib::string_view(i_arg, len)));
    line.has_argument = true;
  }
  return line;
}

}  // namespace kernel::elf
