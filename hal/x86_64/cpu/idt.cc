// The IDT: every one of the 256 vectors has a stub (cpu/entry.S); NMI, #DF and #MC use IST
// stacks; #BP and #OF may be raised from user mode by int3/into [intel-sdm 3 §6.10-6.14].
#include "hal/x86_64/cpu/idt.h"

#include "hal/x86_64/cpu/asm_defs.h"
#include "hal/x86_64/cpu/x86.h"

extern "C" char aramid_isr_table[];

namespace hal::x86_64 {
namespace {

struct Gate {
  u16 offset_low;
  u16 selector;
  u8 ist;
  u8 type_attr;
  u16 offset_mid;
  u32 offset_high;
  u32 reserved;
};
static_assert(sizeof(Gate) == 16);

alignas(16) Gate g_idt[256];

struct [[gnu::packed]] DescriptorPointer {
  u16 limit;
  u64 base;
};

}  // namespace

void InitIdt() {
  for (unsigned v = 0; v < 256; ++v) {
    u64 handler = reinterpret_cast<u64>(aramid_isr_table) + u64{16} * v;
    u8 dpl = (v == 3 || v == 4) ? 3 : 0;
    u8 ist = v == 2 ? IST_NMI : v == 8 ? IST_DOUBLE_FAULT : v == 18 ? IST_MACHINE_CHECK : 0;
    g_idt[v] = Gate{static_cast<u16>(handler),
                    GDT_KERNEL_CS,
                    ist,
                    static_cast<u8>(0x8e | (dpl << 5)),  // present 64-bit interrupt gate
                    static_cast<u16>(handler >> 16),
                    static_cast<u32>(handler >> 32),
                    0};
  }
  DescriptorPointer idtr{sizeof(g_idt) - 1, reinterpret_cast<u64>(g_idt)};
  asm volatile("lidt %0" ::"m"(idtr));
}

}  // namespace hal::x86_64
