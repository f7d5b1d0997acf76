#pragma once
// The per-CPU area and syscall MSRs for entering and leaving user mode.
namespace hal::x86_64 {
/// GS base, STAR/LSTAR/CSTAR/SFMASK and EFER.SCE. After InitGdt.
void InitUserEntry();
}  // namespace hal::x86_64
