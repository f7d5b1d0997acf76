#pragma once
/// How raw register values become typed handler arguments, and how each type prints in a
/// trace. A handler's own signature is the spec of its arguments: the dispatcher reads the
/// parameter types and converts each register through ArgTraits<T>.
///
/// Narrow integers keep only their low bits, as Linux's SYSCALL_DEFINE wrappers do: an `int`
/// argument of 0xffffffff00000005 is 5.
#include <type_traits>

#include "kernel/lib/format.h"
#include "kernel/lib/types.h"
#include "kernel/mm/user_ptr.h"

namespace kernel::syscalls {

using mm::UserCString;
using mm::UserIn;
using mm::UserInOut;
using mm::UserOut;

/// A file-descriptor argument (an int in the ABI).
struct Fd {
  int value;
};

/// A user virtual address that is not dereferenced as a typed pointer (mmap's addr, brk).
/// Prints in hex.
struct VirtAddr {
  u64 value;
};

/// Flags or a mask that reads best in hex.
struct Hex {
  u64 value;
};

/// An `int` that reads best in octal (modes).
struct Mode {
  u32 value;
};

/// A directory-relative fd for the *at calls: prints AT_FDCWD by name.
struct DirFd {
  int value;
};
inline constexpr int kAtFdCwd = -100;

template <typename T>
struct ArgTraits;

template <typename T>
requires(std::is_integral_v<T>) struct ArgTraits<T> {
  static T From(u64 raw) { return static_cast<T>(raw); }
  static void Trace(lib::FormatSink& out, T v) {
    if constexpr (std::is_signed_v<T>) {
      lib::Format(out, "%lld", static_cast<long long>(v));
    } else {
      lib::Format(out, "%llu", static_cast<unsigned long long>(v));
    }
  }
};

template <>
struct ArgTraits<Fd> {
  static Fd From(u64 raw) { return Fd{static_cast<int>(raw)}; }
  static void Trace(lib::FormatSink& out, Fd v) { lib::Format(out, "%d", v.value); }
};

template <>
struct ArgTraits<DirFd> {
  static DirFd From(u64 raw) { return DirFd{static_cast<int>(raw)}; }
  static void Trace(lib::FormatSink& out, DirFd v) {
    if (v.value == kAtFdCwd) {
      lib::Format(out, "AT_FDCWD");
    } else {
      lib::Format(out, "%d", v.value);
    }
  }
};

template <>
struct ArgTraits<VirtAddr> {
  static VirtAddr From(u64 raw) { return VirtAddr{raw}; }
  static void Trace(lib::FormatSink& out, VirtAddr v) {
    if (v.value == 0) {
      lib::Format(out, "NULL");
    } else {
      lib::Format(out, "%#lx", v.value);
    }
  }
};

template <>
struct ArgTraits<Hex> {
  static Hex From(u64 raw) { return Hex{raw}; }
  static void Trace(lib::FormatSink& out, Hex v) { lib::Format(out, "%#lx", v.value); }
};

template <>
struct ArgTraits<Mode> {
  static Mode From(u64 raw) { return Mode{static_cast<u32>(raw)}; }
  static void Trace(lib::FormatSink& out, Mode v) { lib::Format(out, "%#o", v.value); }
};

/// Typed user pointers print as addresses.
template <typename P>
requires(std::is_base_of_v<mm::UserAddress, P> &&
         !std::is_same_v<P, UserCString>) struct ArgTraits<P> {
  static P From(u64 raw) { return P(raw); }
  static void Trace(lib::FormatSink& out, P p) {
    if (p.is_null()) {
      lib::Format(out, "NULL");
    } else {
      lib::Format(out, "%#lx", p.addr());
    }
  }
};

/// Strings print as strace does: quoted, escaped, cut after 64 characters.
template <>
struct ArgTraits<UserCString> {
  static UserCString From(u64 raw) { return UserCString(raw); }
  static void Trace(lib::FormatSink& out, UserCString s);
};

/// How a successful result prints, and how it becomes the value left in rax.
template <typename R>
struct ResultTraits {
  static i64 ToRaw(const R& v) { return static_cast<i64>(v); }
  static void Trace(lib::FormatSink& out, i64 raw) {
    lib::Format(out, "%lld", static_cast<long long>(raw));
  }
};
template <>
struct ResultTraits<void> {
  static void Trace(lib::FormatSink& out, i64 raw) {
    lib::Format(out, "%lld", static_cast<long long>(raw));
  }
};
template <>
struct ResultTraits<Fd> {
  static i64 ToRaw(const Fd& v) { return v.value; }
  static void Trace(lib::FormatSink& out, i64 raw) {
    lib::Format(out, "%lld", static_cast<long long>(raw));
  }
};
template <>
struct ResultTraits<VirtAddr> {
  static i64 ToRaw(const VirtAddr& v) { return static_cast<i64>(v.value); }
  static void Trace(lib::FormatSink& out, i64 raw) {
    lib::Format(out, "%#llx", static_cast<unsigned long long>(raw));
  }
};
template <>
struct ResultTraits<Hex> {
  static i64 ToRaw(const Hex& v) { return static_cast<i64>(v.value); }
  static void Trace(lib::FormatSink& out, i64 raw) {
    lib::Format(out, "%#llx", static_cast<unsigned long long>(raw));
  }
};

}  // namespace kernel::syscalls
