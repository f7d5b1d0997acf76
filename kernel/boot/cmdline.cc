#include "kernel/boot/cmdline.h"

#include "kernel/lib/format.h"

namespace kernel::boot {
namespace {

CommandLine g_cmdline;

struct FlagName {
  std::string_view name;
  DebugFlag flag;
};
constexpr FlagName kDebugFlags[] = {
    {"syscall", kDebugSyscall},
    {"fault", kDebugFault},
    {"panic-test", kDebugPanicTest},
    {"usertest", kDebugUserTest},
    {"pagefault", kDebugPageFault},
    {"inputtest", kDebugInputTest},
    {"doublefault-test", kDebugDoubleFaultTest},
    {"nmi-test", kDebugNmiTest},
    {"pic", kDebugForcePic},
    {"userfuzz", kDebugUserFuzz},
};

// string_view::find/substr would pull in memchr and std::__throw_out_of_range_fmt, which the
// freestanding image does not have; these two are all the parser needs.
constexpr usize kNpos = ~usize{0};
usize Find(std::string_view s, char c) {
  for (usize i = 0; i < s.size(); ++i) {
    if (s[i] == c) return i;
  }
  return kNpos;
}
std::string_view Sub(std::string_view s, usize pos, usize n = kNpos) {
  if (pos > s.size()) pos = s.size();
  if (n > s.size() - pos) n = s.size() - pos;
  return std::string_view(s.data() + pos, n);
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Splits off the next token; a double-quoted part may contain spaces (quotes removed later).
std::string_view NextToken(std::string_view& rest) {
  usize i = 0;
  while (i < rest.size() && IsSpace(rest[i])) ++i;
  usize start = i;
  bool quoted = false;
  while (i < rest.size() && (quoted || !IsSpace(rest[i]))) {
    if (rest[i] == '"') quoted = !quoted;
    ++i;
  }
  std::string_view tok = Sub(rest, start, i - start);
  rest.remove_prefix(i);
  return tok;
}

// Copies `v` without quotes into dst[cap]; false when it does not fit.
bool CopyUnquoted(std::string_view v, char* dst, usize cap) {
  usize n = 0;
  for (char c : v) {
    if (c == '"') continue;
    if (n + 1 >= cap) return false;
    dst[n++] = c;
  }
  dst[n] = '\0';
  return true;
}

bool ParseInt(std::string_view v, int* out) {
  if (v.empty() || v.size() > 9) return false;
  int n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + (c - '0');
  }
  *out = n;
  return true;
}

bool Fail(char* error, usize len, const char* fmt, std::string_view a, std::string_view b = "") {
  lib::Snprintf(error, len, fmt, static_cast<int>(a.size()), a.data(), static_cast<int>(b.size()),
                b.data());
  return false;
}

}  // namespace

bool ParseCommandLine(std::string_view text, CommandLine& out, char* error, usize error_len) {
  std::string_view rest = text;
  usize storage_used = 0;
  bool after_dashes = false;
  for (;;) {
    std::string_view tok = NextToken(rest);
    if (tok.empty()) break;
    if (after_dashes) {
      if (out.init_argc == CommandLine::kMaxInitArgs) {
        return Fail(error, error_len, "too many init arguments at '%.*s'%.*s", tok);
      }
      char* dst = out.arg_storage + storage_used;
      if (!CopyUnquoted(tok, dst, CommandLine::kArgStorage - storage_used)) {
        return Fail(error, error_len, "init arguments too long at '%.*s'%.*s", tok);
      }
      out.init_args[out.init_argc++] = dst;
      while (out.arg_storage[storage_used] != '\0') ++storage_used;
      ++storage_used;
      continue;
    }
    if (tok == "--") {
      after_dashes = true;
      continue;
    }
    usize eq = Find(tok, '=');
    std::string_view key = Sub(tok, 0, eq);
    std::string_view value = eq == kNpos ? std::string_view{} : Sub(tok, eq + 1);
    bool has_value = eq != kNpos;
    if (key == "quiet" && !has_value) {
      out.loglevel = 4;  // warnings and worse, as Linux's `quiet`
    } else if (key == "init" && has_value) {
      char path[CommandLine::kMaxPath];
      if (!CopyUnquoted(value, path, sizeof(path))) {
        return Fail(error, error_len, "init=%.*s: path too long%.*s", value);
      }
      if (path[0] != '/') {
        return Fail(error, error_len, "init=%.*s: must be an absolute path%.*s", value);
      }
      __builtin_memcpy(out.init, path, sizeof(path));
    } else if (key == "loglevel" && has_value) {
      int level;
      if (!ParseInt(value, &level) || level > 7) {
        return Fail(error, error_len, "loglevel=%.*s: expected 0..7%.*s", value);
      }
      out.loglevel = level;
    } else if (key == "console" && has_value) {
      // Linux allows options after a comma (ttyS0,115200); the speed is fixed here.
      std::string_view dev = Sub(value, 0, Find(value, ','));
      if (dev == "ttyS0") {
        out.console_port = 0;
      } else if (dev == "ttyS1") {
        out.console_port = 1;
      } else {
        return Fail(error, error_len, "console=%.*s: expected ttyS0 or ttyS1%.*s", value);
      }
    } else if (key == "debug" && has_value) {
      while (!value.empty()) {
        usize comma = Find(value, ',');
        std::string_view name = Sub(value, 0, comma);
        value = comma == kNpos ? std::string_view{} : Sub(value, comma + 1);
        if (name.empty()) continue;
        bool known = false;
        for (const FlagName& f : kDebugFlags) {
          if (f.name == name) {
            out.debug |= f.flag;
            known = true;
          }
        }
        if (!known) {
          return Fail(
              error, error_len,
              "debug=%.*s: unknown flag (known: syscall, fault, pagefault, "
              "panic-test, doublefault-test, nmi-test, usertest, userfuzz, inputtest, pic)%.*s",
              name);
        }
      }
    } else if (key == "init" || key == "loglevel" || key == "console" || key == "debug") {
      return Fail(error, error_len, "'%.*s' needs a value (%.*s=...)", key, key);
    } else {
      return Fail(error, error_len,
                  "unknown command-line key '%.*s' (known: init=, loglevel=, debug=, console=, "
                  "quiet, --)%.*s",
                  key);
    }
  }
  return true;
}

const CommandLine& Get() { return g_cmdline; }
void SetCommandLine(const CommandLine& cl) { g_cmdline = cl; }

}  // namespace kernel::boot
