#pragma once
/// Hash functions for HashMap: integers, enums, pointers and byte strings.
#include "kernel/lib/std.h"
#include "kernel/lib/types.h"

namespace kernel::lib {

/// Mixes all 64 bits into all 64 bits (the MurmurHash3 finalizer), so that keys differing only
/// in high bits, such as page-aligned addresses, still spread over a power-of-two table.
constexpr u64 HashInt(u64 v) {
  v ^= v >> 33;
  v *= 0xff51afd7ed558ccdull;
  v ^= v >> 33;
  v *= 0xc4ceb9fe1a85ec53ull;
  v ^= v >> 33;
  return v;
}

/// FNV-1a over the bytes, finished with HashInt for well-mixed low bits.
constexpr u64 HashBytes(string_view bytes) {
  u64 h = 0xcbf29ce484222325ull;
  for (char c : bytes) {
    h ^= static_cast<u8>(c);
    h *= 0x100000001b3ull;
  }
  return HashInt(h);
}

/// The default hasher: integers and enums by value, pointers by address, and anything that
/// converts to string_view (string_view, String, C strings and literals) by content. It is
/// transparent, so a HashMap<String, V> can be searched with a string_view or a literal
/// without allocating. (A `const char*` key is hashed by content but compared by address:
/// still consistent, just slower than hashing the address.)
struct DefaultHash {
  template <typename T>
  requires(is_integral_v<T> || is_enum_v<T>) constexpr u64 operator()(T v) const {
    return HashInt(static_cast<u64>(v));
  }
  template <typename T>
  requires(!is_same_v<remove_cv_t<T>, char>) u64 operator()(T* p) const {
    return HashInt(reinterpret_cast<uptr>(p));
  }
  constexpr u64 operator()(string_view s) const { return HashBytes(s); }
};

}  // namespace kernel::lib
