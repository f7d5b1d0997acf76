#pragma once
/// printf-style formatting for the kernel: logs, panics, procfs text, traces.
/// Supported: %d %i %u %x %X %o %p %s %c %% with flags '-', '0', ' ', '+', '#', a width,
/// a precision (also '*'), and the length modifiers hh h l ll z t j. %p prints 0x-prefixed hex.
/// A null %s prints "(null)". Never allocates; output is cut at the sink's capacity.
#include <cstdarg>

#include "kernel/lib/types.h"

namespace kernel::lib {

/// Where formatted characters go.
class FormatSink {
 public:
  virtual void Put(const char* s, usize n) = 0;

 protected:
  ~FormatSink() = default;
};

/// Formats into `sink`; returns the number of characters produced.
usize VFormat(FormatSink& sink, const char* fmt, va_list args);
usize Format(FormatSink& sink, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

/// snprintf semantics: writes at most n-1 characters and a NUL (when n > 0) and returns the
/// length the whole output would have had.
usize VSnprintf(char* buf, usize n, const char* fmt, va_list args);
usize Snprintf(char* buf, usize n, const char* fmt, ...) __attribute__((format(printf, 3, 4)));

/// A sink over a fixed buffer that remembers how much would have been written.
class BufferSink final : public FormatSink {
 public:
  BufferSink(char* buf, usize capacity) : buf_(buf), capacity_(capacity) {}
  void Put(const char* s, usize n) override;
  usize length() const { return length_; }  ///< characters produced, stored or not
  usize stored() const { return length_ < capacity_ ? length_ : capacity_; }

 private:
  char* buf_;
  usize capacity_;
  usize length_ = 0;
};

}  // namespace kernel::lib
