#pragma once
// Result<T>: a value or an Errno, and TRY to propagate the error in one line.
// Modelled on SerenityOS ErrorOr<T> and Zircon zx::result<T>. Nothing here allocates.
#include <new>
#include <type_traits>
#include <utility>

#include "kernel/lib/errno.h"

namespace kernel {

[[noreturn]] void Panic(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

template <typename T>
class [[nodiscard]] Result {
 public:
  using ValueType = T;

  Result(const T& value) : ok_(true) { new (&value_) T(value); }  // NOLINT: implicit by design
  Result(T&& value) : ok_(true) { new (&value_) T(std::move(value)); }  // NOLINT
  Result(Errno error) : ok_(false), error_(error) {}                    // NOLINT

  // The constraint keeps it from hiding the copy and move constructors, which clang-tidy 14
  // does not see (the NOLINT is its bugprone-forwarding-reference-overload).
  template <typename U>
  requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::remove_cvref_t<U>, T> &&
           !std::is_same_v<std::remove_cvref_t<U>, Errno> &&
           !std::is_same_v<std::remove_cvref_t<U>, Result>) Result(U&& value)  // NOLINT
      : ok_(true) {
    new (&value_) T(std::forward<U>(value));
  }

  Result(const Result& other) : ok_(other.ok_) {
    if (ok_) {
      new (&value_) T(other.value_);
    } else {
      error_ = other.error_;
    }
  }
  Result(Result&& other) noexcept : ok_(other.ok_) {
    if (ok_) {
      new (&value_) T(std::move(other.value_));
    } else {
      error_ = other.error_;
    }
  }
  Result& operator=(const Result& other) {
    if (this != &other) {
      Reset();
      new (this) Result(other);
    }
    return *this;
  }
  Result& operator=(Result&& other) noexcept {
    if (this != &other) {
      Reset();
      new (this) Result(std::move(other));
    }
    return *this;
  }
  ~Result() { Reset(); }

  bool ok() const { return ok_; }
  bool is_error() const { return !ok_; }
  Errno error() const {
    if (ok_) Panic("Result::error() on a value");
    return error_;
  }
  T& value() & {
    if (!ok_) Panic("Result::value() on error %d", ToInt(error_));
    return value_;
  }
  const T& value() const& {
    if (!ok_) Panic("Result::value() on error %d", ToInt(error_));
    return value_;
  }
  T release_value() {
    if (!ok_) Panic("Result::release_value() on error %d", ToInt(error_));
    return std::move(value_);
  }
  T value_or(T fallback) const { return ok_ ? value_ : fallback; }

 private:
  void Reset() {
    if (ok_) value_.~T();
    ok_ = false;
  }

  bool ok_;
  union {
    T value_;
    Errno error_;
  };
};

template <>
class [[nodiscard]] Result<void> {
 public:
  using ValueType = void;

  Result() : error_(Errno{}) {}
  Result(Errno error) : error_(error) {}  // NOLINT: implicit by design

  bool ok() const { return error_ == Errno{}; }
  bool is_error() const { return !ok(); }
  Errno error() const {
    if (ok()) Panic("Result<void>::error() on success");
    return error_;
  }
  void value() const {}
  void release_value() const {}

 private:
  Errno error_;  // Errno{} (0) means success
};

/// Success for Result<void>: `return Ok();`
inline Result<void> Ok() { return Result<void>(); }

}  // namespace kernel

/// TRY(expr): evaluate a Result; on error return the Errno from the enclosing function,
/// otherwise yield the value (void for Result<void>). A GNU statement expression, as in
/// SerenityOS and Linux; g++ and clang both support it. Each expansion gets its own variable
/// name (__COUNTER__), so TRYs nest: `TRY(map.TryInsert(TRY(String::TryFrom(s)), 1))`.
#define TRY(expr) ARAMID_TRY_IMPL_(expr, ARAMID_TRY_NAME_(__COUNTER__))
#define ARAMID_TRY_NAME_(n) ARAMID_TRY_CONCAT_(aramid_try_result_, n)
#define ARAMID_TRY_CONCAT_(a, b) a##b
// `name` declares a variable, so it cannot be parenthesized.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define ARAMID_TRY_IMPL_(expr, name)  \
  ({                                  \
    auto&& name = (expr);             \
    if (name.is_error()) [[unlikely]] \
      return name.error();            \
    name.release_value();             \
  })
// NOLINTEND(bugprone-macro-parentheses)
