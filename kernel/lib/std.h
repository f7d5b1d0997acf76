#pragma once
/// The kernel's window onto the C++ standard library, in the manner of Zircon's ktl: only
/// header-only, allocation-free, exception-free pieces are re-exported, so kernel code writes
/// `lib::span<u8>` or `lib::move(x)` and never reaches for a hosted facility by accident.
/// Anything that allocates (std::string, std::vector, std::function ...) is deliberately
/// absent: use lib::String, lib::Vector and friends instead.
///
/// Checked accessors that would throw (`array::at`, `string_view::at/substr/copy/compare` with
/// a bad position, `optional::value` when empty) reach libstdc++'s `std::__throw_*` helpers or
/// `abort`; the freestanding image defines those to panic (hal/x86_64/runtime.cc), the host
/// build gets them from libstdc++. Prefer the unchecked forms after an explicit test.
#include <array>
#include <atomic>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <new>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>

#include "kernel/lib/types.h"

namespace kernel::lib {

// Moving and swapping.
using std::exchange;
using std::forward;
using std::move;
using std::swap;

// Types and values.
using std::array;
using std::byte;
using std::dynamic_extent;
using std::in_place;
using std::in_place_t;
using std::nullopt;
using std::nullopt_t;
using std::nullptr_t;
using std::numeric_limits;
using std::optional;
using std::span;
using std::string_view;

// Atomics: lock-free at every size the kernel uses on x86_64 (no libatomic calls).
using std::atomic;
using std::memory_order;
using std::memory_order_acq_rel;
using std::memory_order_acquire;
using std::memory_order_relaxed;
using std::memory_order_release;
using std::memory_order_seq_cst;

// Bit operations.
using std::bit_cast;
using std::bit_ceil;
using std::bit_floor;
using std::bit_width;
using std::countl_one;
using std::countl_zero;
using std::countr_one;
using std::countr_zero;
using std::has_single_bit;
using std::popcount;
using std::rotl;
using std::rotr;

// Type traits and concepts (the ones kernel code uses; add more here as needed, never
// include <type_traits> for a trait that is not re-exported).
using std::add_const_t;
using std::common_type_t;
using std::conditional_t;
using std::decay_t;
using std::enable_if_t;
using std::false_type;
using std::integral_constant;
using std::invoke_result_t;
using std::is_aggregate_v;
using std::is_arithmetic_v;
using std::is_base_of_v;
using std::is_const_v;
using std::is_constructible_v;
using std::is_convertible_v;
using std::is_copy_assignable_v;
using std::is_copy_constructible_v;
using std::is_default_constructible_v;
using std::is_enum_v;
using std::is_integral_v;
using std::is_invocable_r_v;
using std::is_invocable_v;
using std::is_move_assignable_v;
using std::is_move_constructible_v;
using std::is_nothrow_move_constructible_v;
using std::is_pointer_v;
using std::is_reference_v;
using std::is_same_v;
using std::is_signed_v;
using std::is_standard_layout_v;
using std::is_trivially_copyable_v;
using std::is_trivially_destructible_v;
using std::is_unsigned_v;
using std::is_void_v;
using std::make_signed_t;
using std::make_unsigned_t;
using std::remove_const_t;
using std::remove_cv_t;
using std::remove_cvref_t;
using std::remove_pointer_t;
using std::remove_reference_t;
using std::true_type;
using std::type_identity_t;
using std::underlying_type_t;

using std::convertible_to;
using std::derived_from;
using std::equality_comparable;
using std::integral;
using std::invocable;
using std::same_as;
using std::signed_integral;
using std::unsigned_integral;

using std::construct_at;
using std::destroy_at;
using std::launder;

using std::index_sequence;
using std::integer_sequence;
using std::make_index_sequence;

/// The underlying integer of an enum value (std::to_underlying is C++23).
template <typename E>
requires std::is_enum_v<E>
constexpr std::underlying_type_t<E> to_underlying(E e) {
  return static_cast<std::underlying_type_t<E>>(e);
}

/// The smaller of two values (the first when equal), as std::min; <algorithm> is not
/// freestanding, so this is the kernel's own.
template <typename T>
constexpr const T& min(const T& a, const T& b) {
  return b < a ? b : a;
}
/// The larger of two values (the first when equal), as std::max.
template <typename T>
constexpr const T& max(const T& a, const T& b) {
  return a < b ? b : a;
}
/// `v` limited to [lo, hi]; `lo <= hi` is the caller's promise, as for std::clamp.
template <typename T>
constexpr const T& clamp(const T& v, const T& lo, const T& hi) {
  return v < lo ? lo : hi < v ? hi : v;
}

/// Whether `a + b` overflows `T`; stores the wrapped sum in `*out` either way.
template <typename T>
constexpr bool AddOverflows(T a, T b, T* out) {
  return __builtin_add_overflow(a, b, out);
}
/// Whether `a * b` overflows `T`; stores the wrapped product in `*out` either way.
template <typename T>
constexpr bool MulOverflows(T a, T b, T* out) {
  return __builtin_mul_overflow(a, b, out);
}

}  // namespace kernel::lib
