#pragma once
// Interrupt descriptor table setup.
namespace hal::x86_64 {
void InitIdt();
}  // namespace hal::x86_64
