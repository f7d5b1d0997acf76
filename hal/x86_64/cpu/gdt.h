#pragma once
// Segments and the TSS; the selector values and their order are in cpu/asm_defs.h.
#include "hal/x86_64/cpu/asm_defs.h"
#include "hal/x86_64/cpu/x86.h"

namespace hal::x86_64 {

struct [[gnu::packed]] Tss {
  u32 reserved0;
  u64 rsp[3];
  u64 reserved1;
  u64 ist[7];
  u64 reserved2;
  u16 reserved3;
  u16 iomap_base;
};
static_assert(sizeof(Tss) == 104);

/// Loads the GDT, the TSS (with IST stacks) and reloads every segment register.
void InitGdt();
Tss& BootTss();

}  // namespace hal::x86_64
