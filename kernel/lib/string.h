#pragma once
/// String: an owning, heap-allocated, always NUL-terminated byte string whose every growth
/// is fallible; StringBuilder: appends with one error check at the end (procfs text).
#include <cstdarg>

#include "kernel/lib/result.h"
#include "kernel/lib/std.h"
#include "kernel/lib/types.h"

namespace kernel::lib {

/// An owning byte string (not necessarily UTF-8; it may hold NULs). The empty string
/// allocates nothing. Every operation that may allocate is TryX and returns ENOMEM with the
/// string unchanged. There is no copy constructor: use TryClone(). The bytes are followed by
/// a NUL, so c_str() is always valid (an embedded NUL still ends it for C-style readers).
class String {
 public:
  String() = default;
  String(const String&) = delete;
  String& operator=(const String&) = delete;
  String(String&& other) noexcept
      : data_(exchange(other.data_, nullptr)),
        size_(exchange(other.size_, 0)),
        capacity_(exchange(other.capacity_, 0)) {}
  String& operator=(String&& other) noexcept;
  ~String();

  /// A copy of `s`.
  static Result<String> TryFrom(string_view s);
  /// printf-style formatting (kernel/lib/format.h) into a new string.
  static Result<String> TryFormat(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
  static Result<String> TryVFormat(const char* fmt, va_list args);

  Result<String> TryClone() const { return TryFrom(view()); }

  usize size() const { return size_; }
  bool empty() const { return size_ == 0; }
  /// Bytes that fit without allocating (not counting the NUL).
  usize capacity() const { return capacity_; }
  const char* data() const { return data_ != nullptr ? data_ : ""; }
  /// Writable bytes; null for an empty string with no storage.
  char* mutable_data() { return data_; }
  const char* c_str() const { return data(); }
  string_view view() const { return string_view(data(), size_); }
  operator string_view() const { return view(); }  // NOLINT: implicit by design

  char operator[](usize i) const;
  char& operator[](usize i);

  /// Room for `n` bytes (plus the NUL) without further allocation. Never shrinks.
  Result<void> TryReserve(usize n);
  /// Appends `s`, which may be a view of this string.
  Result<void> TryAppend(string_view s);
  Result<void> TryAppend(char c);
  /// Appends printf-style formatted text. On ENOMEM nothing is appended.
  Result<void> TryAppendFormat(const char* fmt, ...) __attribute__((format(printf, 2, 3)));
  Result<void> TryVAppendFormat(const char* fmt, va_list args);
  /// Replaces the contents with `s` (which may be a view of this string).
  Result<void> TryAssign(string_view s);

  /// Cuts the string to its first `n` bytes (n <= size()).
  void Truncate(usize n);
  /// Empties the string and keeps its storage.
  void Clear() { Truncate(0); }
  /// Empties the string and frees its storage.
  void Reset();

  friend bool operator==(const String& a, string_view b) { return a.view() == b; }
  friend bool operator==(const String& a, const String& b) { return a.view() == b.view(); }
  friend auto operator<=>(const String& a, string_view b) { return a.view() <=> b; }

 private:
  Result<void> Grow(usize needed);

  char* data_ = nullptr;
  usize size_ = 0;
  usize capacity_ = 0;  // bytes available, not counting the NUL
};

/// Builds text piece by piece and checks for exhaustion once: each Append* that fails to
/// allocate is recorded and makes later appends no-ops, and Finish() reports ENOMEM. This
/// keeps procfs/sysfs generators readable:
///
///   StringBuilder sb;
///   sb.AppendFormat("Name:\t%s\n", name);
///   sb.AppendFormat("Pid:\t%d\n", pid);
///   String text = TRY(sb.Finish());
class StringBuilder {
 public:
  StringBuilder() = default;

  void Append(string_view s);
  void Append(char c);
  void AppendFormat(const char* fmt, ...) __attribute__((format(printf, 2, 3)));

  /// Whether an append has failed; everything after it was dropped.
  bool failed() const { return failed_; }
  /// The text so far (complete only when !failed()).
  string_view view() const { return text_.view(); }
  usize size() const { return text_.size(); }
  /// The text, or ENOMEM if any append failed. Leaves the builder empty and usable.
  Result<String> Finish();

 private:
  String text_;
  bool failed_ = false;
};

}  // namespace kernel::lib
