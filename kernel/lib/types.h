#pragma once
// Fixed-width integer names used throughout the kernel. Only freestanding headers here.
#include <cstddef>
#include <cstdint>

namespace kernel {

using u8 = uint8_t;
using u16 = uint16_t;
using u32 = uint32_t;
using u64 = uint64_t;
using i8 = int8_t;
using i16 = int16_t;
using i32 = int32_t;
using i64 = int64_t;
using usize = size_t;
using isize = ptrdiff_t;
using uptr = uintptr_t;

/// A physical address. Not a pointer: reach the memory through hal::phys::ToVirt.
using PhysAddr = u64;

inline constexpr usize kPageSize = 4096;
inline constexpr usize kPageShift = 12;

constexpr u64 AlignDown(u64 v, u64 align) { return v & ~(align - 1); }
constexpr u64 AlignUp(u64 v, u64 align) { return (v + align - 1) & ~(align - 1); }
constexpr bool IsAligned(u64 v, u64 align) { return (v & (align - 1)) == 0; }

}  // namespace kernel
