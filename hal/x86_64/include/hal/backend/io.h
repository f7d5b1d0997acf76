#pragma once
// Port I/O for x86_64 drivers inside hal/x86_64 (not part of the kernel-facing contract).
#include "kernel/lib/types.h"

namespace hal::x86_64 {

inline void Out8(kernel::u16 port, kernel::u8 v) {
  asm volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}
inline void Out16(kernel::u16 port, kernel::u16 v) {
  asm volatile("outw %0, %1" ::"a"(v), "Nd"(port));
}
inline void Out32(kernel::u16 port, kernel::u32 v) {
  asm volatile("outl %0, %1" ::"a"(v), "Nd"(port));
}
inline kernel::u8 In8(kernel::u16 port) {
  kernel::u8 v;
  asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
  return v;
}
inline kernel::u16 In16(kernel::u16 port) {
  kernel::u16 v;
  asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
  return v;
}
inline kernel::u32 In32(kernel::u16 port) {
  kernel::u32 v;
  asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
  return v;
}

}  // namespace hal::x86_64
