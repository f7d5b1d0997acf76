#pragma once
/// Kernel assertions. ARAMID_ASSERT is always checked; ARAMID_DEBUG_ASSERT only when
/// kDebugChecks is true (builds without NDEBUG: Debug and the sanitizer preset). Both panic
/// with the file, line and condition, and an optional printf-style message:
///   ARAMID_ASSERT(node.linked(), "node %p is not on a list", &node);
/// Assertions are for kernel bugs only. Bad input from user space is an Errno, never an assert.
#include "kernel/lib/types.h"

namespace kernel::lib {

// The one place the build type reaches kernel code; everything else uses `if constexpr`.
#ifdef NDEBUG
inline constexpr bool kDebugChecks = false;
#else
inline constexpr bool kDebugChecks = true;
#endif

[[noreturn]] void AssertFail(const char* file, int line, const char* condition);
[[noreturn]] void AssertFail(const char* file, int line, const char* condition, const char* fmt,
                             ...) __attribute__((format(printf, 4, 5)));

}  // namespace kernel::lib

#define ARAMID_ASSERT(cond, ...)                                                       \
  do {                                                                                 \
    if (!(cond)) [[unlikely]]                                                          \
      ::kernel::lib::AssertFail(__FILE__, __LINE__, #cond __VA_OPT__(, ) __VA_ARGS__); \
  } while (0)

#define ARAMID_DEBUG_ASSERT(cond, ...)                \
  do {                                                \
    if constexpr (::kernel::lib::kDebugChecks) {      \
      ARAMID_ASSERT(cond __VA_OPT__(, ) __VA_ARGS__); \
    }                                                 \
  } while (0)
