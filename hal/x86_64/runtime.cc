// The few symbols a freestanding C++20 image needs from a runtime (QEMU-NOTES.md).
// The kernel's own code calls these through __builtin_mem*; gcc also emits calls on its own.
#include <cstdarg>

#include "kernel/lib/format.h"
#include "kernel/lib/result.h"
#include "kernel/lib/types.h"

using kernel::u8;
using kernel::usize;

extern "C" {

void* memcpy(void* dst, const void* src, usize n) {
  void* d = dst;
  asm volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n)::"memory");
  return dst;
}

void* memset(void* dst, int c, usize n) {
  void* d = dst;
  asm volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
  return dst;
}

void* memmove(void* dst, const void* src, usize n) {
  auto* d = static_cast<u8*>(dst);
  const auto* s = static_cast<const u8*>(src);
  if (d == s || n == 0) return dst;
  if (d < s || d >= s + n) return memcpy(dst, src, n);
  // Overlapping with dst above src: copy backwards.
  const u8* sl = s + n - 1;
  u8* dl = d + n - 1;
  asm volatile("std; rep movsb; cld" : "+D"(dl), "+S"(sl), "+c"(n)::"memory");
  return dst;
}

int memcmp(const void* a, const void* b, usize n) {
  const auto* x = static_cast<const u8*>(a);
  const auto* y = static_cast<const u8*>(b);
  for (usize i = 0; i < n; ++i) {
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return 0;
}

// string_view::find and friends reach this through __builtin_memchr.
void* memchr(const void* s, int c, usize n) {
  const auto* p = static_cast<const u8*>(s);
  for (usize i = 0; i < n; ++i) {
    if (p[i] == static_cast<u8>(c)) return const_cast<u8*>(p + i);
  }
  return nullptr;
}

usize strlen(const char* s) {
  usize n = 0;
  while (s[n]) ++n;
  return n;
}

// std::optional::value() on an empty optional calls __builtin_abort() under -fno-exceptions.
[[noreturn]] void abort() { kernel::Panic("abort() called (std::optional::value() on nullopt?)"); }

void __cxa_pure_virtual() { kernel::Panic("pure virtual function called"); }
int __cxa_atexit(void (*)(void*), void*, void*) { return 0; }  // kernel objects are never torn down
void* __dso_handle = nullptr;

}  // extern "C"

// Deleting destructors of classes with virtual destructors refer to these; the kernel frees
// through its own heap, so reaching one is a bug.
void operator delete(void*) noexcept { kernel::Panic("global operator delete called"); }
void operator delete(void*, usize) noexcept { kernel::Panic("global operator delete called"); }

// libstdc++'s checked accessors (array::at, string_view::at/substr/copy/compare) call these
// out-of-line helpers, which live in libstdc++.so on the host. The image has no libstdc++:
// a failed check is a kernel bug, so it panics with libstdc++'s own message. Only the
// helpers that kernel/lib/std.h's headers reference are defined; a new undefined
// std::__throw_* at link time means another one is needed here.
namespace std {
[[noreturn]] void __throw_out_of_range_fmt(const char* fmt, ...) {
  char message[192];
  va_list args;
  va_start(args, fmt);
  kernel::lib::VSnprintf(message, sizeof(message), fmt, args);
  va_end(args);
  kernel::Panic("std::out_of_range: %s", message);
}
}  // namespace std
