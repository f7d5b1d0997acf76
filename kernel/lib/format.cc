#include "kernel/lib/format.h"

namespace kernel::lib {
namespace {

struct Spec {
  bool left = false, zero = false, space = false, plus = false, alt = false;
  int width = 0;
  int precision = -1;
};

class Counter {
 public:
  explicit Counter(FormatSink& sink) : sink_(sink) {}
  void Put(const char* s, usize n) {
    if (n == 0) return;
    sink_.Put(s, n);
    count_ += n;
  }
  void Repeat(char c, int n) {
    char buf[16];
    for (int i = 0; i < 16; ++i) buf[i] = c;
    while (n > 0) {
      int chunk = n < 16 ? n : 16;
      Put(buf, static_cast<usize>(chunk));
      n -= chunk;
    }
  }
  usize count() const { return count_; }

 private:
  FormatSink& sink_;
  usize count_ = 0;
};

void EmitPadded(Counter& out, const Spec& spec, const char* prefix, usize prefix_len,
                const char* body, usize body_len, int zeros) {
  int total = static_cast<int>(prefix_len + body_len) + zeros;
  int pad = spec.width > total ? spec.width - total : 0;
  if (!spec.left && !(spec.zero && spec.precision < 0)) out.Repeat(' ', pad);
  out.Put(prefix, prefix_len);
  if (!spec.left && spec.zero && spec.precision < 0) out.Repeat('0', pad);
  out.Repeat('0', zeros);
  out.Put(body, body_len);
  if (spec.left) out.Repeat(' ', pad);
}

void EmitInteger(Counter& out, Spec spec, u64 magnitude, bool negative, unsigned base, bool upper,
                 bool is_pointer) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char buf[24];
  usize len = 0;
  if (!(magnitude == 0 && spec.precision == 0)) {
    do {
      buf[sizeof(buf) - 1 - len++] = digits[magnitude % base];
      magnitude /= base;
    } while (magnitude != 0);
  }
  const char* body = buf + sizeof(buf) - len;
  char prefix[3];
  usize prefix_len = 0;
  if (negative) {
    prefix[prefix_len++] = '-';
  } else if (spec.plus) {
    prefix[prefix_len++] = '+';
  } else if (spec.space) {
    prefix[prefix_len++] = ' ';
  }
  if ((spec.alt || is_pointer) && base == 16 && (len > 0 && !(len == 1 && body[0] == '0'))) {
    prefix[prefix_len++] = '0';
    prefix[prefix_len++] = upper ? 'X' : 'x';
  }
  if (spec.alt && base == 8 && (len == 0 || body[0] != '0')) {
    prefix[prefix_len++] = '0';
  }
  int zeros = spec.precision > static_cast<int>(len) ? spec.precision - static_cast<int>(len) : 0;
  EmitPadded(out, spec, prefix, prefix_len, body, len, zeros);
}

}  // namespace

void BufferSink::Put(const char* s, usize n) {
  for (usize i = 0; i < n; ++i) {
    if (length_ + 1 < capacity_) buf_[length_] = s[i];
    ++length_;
  }
  if (capacity_ > 0) buf_[length_ + 1 < capacity_ ? length_ : capacity_ - 1] = '\0';
}

usize VFormat(FormatSink& sink, const char* fmt, va_list args) {
  Counter out(sink);
  while (*fmt) {
    if (*fmt != '%') {
      const char* start = fmt;
      while (*fmt && *fmt != '%') ++fmt;
      out.Put(start, static_cast<usize>(fmt - start));
      continue;
    }
    const char* directive = fmt++;
    Spec spec;
    for (;; ++fmt) {
      if (*fmt == '-')
        spec.left = true;
      else if (*fmt == '0')
        spec.zero = true;
      else if (*fmt == ' ')
        spec.space = true;
      else if (*fmt == '+')
        spec.plus = true;
      else if (*fmt == '#')
        spec.alt = true;
      else
        break;
    }
    if (*fmt == '*') {
      spec.width = va_arg(args, int);
      if (spec.width < 0) {
        spec.left = true;
        spec.width = -spec.width;
      }
      ++fmt;
    } else {
      while (*fmt >= '0' && *fmt <= '9') spec.width = spec.width * 10 + (*fmt++ - '0');
    }
    if (*fmt == '.') {
      ++fmt;
      spec.precision = 0;
      if (*fmt == '*') {
        spec.precision = va_arg(args, int);
        if (spec.precision < 0) spec.precision = -1;
        ++fmt;
      } else {
        while (*fmt >= '0' && *fmt <= '9') spec.precision = spec.precision * 10 + (*fmt++ - '0');
      }
    }
    int length = 0;  // 0 int, -1 short, -2 char, 1 long, 2 long long, 3 size_t/ptrdiff/intmax
    if (*fmt == 'h') {
      length = -1;
      if (*++fmt == 'h') {
        length = -2;
        ++fmt;
      }
    } else if (*fmt == 'l') {
      length = 1;
      if (*++fmt == 'l') {
        length = 2;
        ++fmt;
      }
    } else if (*fmt == 'z' || *fmt == 't' || *fmt == 'j') {
      length = 3;
      ++fmt;
    }
    char conv = *fmt;
    if (conv == '\0') {
      out.Put(directive, static_cast<usize>(fmt - directive));
      break;
    }
    ++fmt;
    switch (conv) {
      case 'd':
      case 'i': {
        i64 v;
        if (length >= 1)
          v = va_arg(args, i64);
        else
          v = va_arg(args, int);
        if (length == -1) v = static_cast<i16>(v);
        if (length == -2) v = static_cast<i8>(v);  // NOLINT(bugprone-signed-char-misuse): %hhd
        u64 mag = v < 0 ? 0 - static_cast<u64>(v) : static_cast<u64>(v);
        EmitInteger(out, spec, mag, v < 0, 10, false, false);
        break;
      }
      case 'u':
      case 'x':
      case 'X':
      case 'o': {
        u64 v;
        if (length >= 1)
          v = va_arg(args, u64);
        else
          v = va_arg(args, unsigned);
        if (length == -1) v = static_cast<u16>(v);
        if (length == -2) v = static_cast<u8>(v);
        unsigned base = conv == 'u' ? 10 : conv == 'o' ? 8 : 16;
        spec.plus = spec.space = false;
        EmitInteger(out, spec, v, false, base, conv == 'X', false);
        break;
      }
      case 'p': {
        auto v = reinterpret_cast<uptr>(va_arg(args, void*));
        spec.plus = spec.space = false;
        if (v == 0) {
          EmitPadded(out, spec, "", 0, "(nil)", 5, 0);
        } else {
          EmitInteger(out, spec, v, false, 16, false, true);
        }
        break;
      }
      case 's': {
        const char* s = va_arg(args, const char*);
        if (s == nullptr) s = "(null)";
        usize n = 0;
        while (s[n] && (spec.precision < 0 || n < static_cast<usize>(spec.precision))) ++n;
        spec.zero = false;
        EmitPadded(out, spec, "", 0, s, n, 0);
        break;
      }
      case 'c': {
        char c = static_cast<char>(va_arg(args, int));
        spec.zero = false;
        EmitPadded(out, spec, "", 0, &c, 1, 0);
        break;
      }
      case '%':
        out.Put("%", 1);
        break;
      default:
        // Unknown conversion: print it as written so the mistake is visible.
        out.Put(directive, static_cast<usize>(fmt - directive));
        break;
    }
  }
  return out.count();
}

usize Format(FormatSink& sink, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  usize n = VFormat(sink, fmt, args);
  va_end(args);
  return n;
}

usize VSnprintf(char* buf, usize n, const char* fmt, va_list args) {
  BufferSink sink(buf, n);
  if (n > 0) buf[0] = '\0';
  VFormat(sink, fmt, args);
  return sink.length();
}

usize Snprintf(char* buf, usize n, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  usize len = VSnprintf(buf, n, fmt, args);
  va_end(args);
  return len;
}

}  // namespace kernel::lib
