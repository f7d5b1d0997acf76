// GDT and TSS [intel-sdm 3 §3.4.5, §7.2.3].
#include "hal/x86_64/cpu/gdt.h"

namespace hal::x86_64 {
namespace {

constexpr usize kIstStackSize = 16ul * 1024;

alignas(16) u8 g_ist_stacks[3][kIstStackSize];
alignas(16) Tss g_tss;
alignas(16) u64 g_gdt[10];

struct [[gnu::packed]] DescriptorPointer {
  u16 limit;
  u64 base;
};

}  // namespace

Tss& BootTss() { return g_tss; }

void InitGdt() {
  g_gdt[0] = 0;
  g_gdt[1] = 0;                                         // 0x08: unused (Linux's 32-bit kernel CS)
  g_gdt[GDT_KERNEL_CS / 8] = 0x00af'9a00'0000'ffffull;  // 64-bit code, DPL 0
  g_gdt[GDT_KERNEL_DS / 8] = 0x00cf'9200'0000'ffffull;  // data, DPL 0
  g_gdt[4] = 0;  // 0x20: no 32-bit user code (far jumps to it #GP)
  g_gdt[GDT_USER_DS / 8] = 0x00cf'f200'0000'ffffull;  // data, DPL 3
  g_gdt[GDT_USER_CS / 8] = 0x00af'fa00'0000'ffffull;  // 64-bit code, DPL 3
  g_gdt[7] = 0;

  for (int i = 0; i < 3; ++i) g_tss.ist[i] = reinterpret_cast<u64>(g_ist_stacks[i] + kIstStackSize);
  g_tss.iomap_base = sizeof(Tss);  // no I/O bitmap: user mode gets no ports
  u64 base = reinterpret_cast<u64>(&g_tss);
  u64 limit = sizeof(Tss) - 1;
  // 64-bit available TSS descriptor (type 9), 16 bytes [intel-sdm 3 §7.2.3].
  g_gdt[GDT_TSS / 8] = (limit & 0xffff) | ((base & 0xff'ffff) << 16) | (0x89ull << 40) |
                       (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
  g_gdt[GDT_TSS / 8 + 1] = base >> 32;

  DescriptorPointer gdtr{sizeof(g_gdt) - 1, reinterpret_cast<u64>(g_gdt)};
  asm volatile(
      "lgdt %0\n"
      "pushq %1\n"
      "leaq 1f(%%rip), %%rax\n"
      "pushq %%rax\n"
      "lretq\n"
      "1:\n"
      "movw %w2, %%ax\n"
      "movw %%ax, %%ds\n"
      "movw %%ax, %%es\n"
      "movw %%ax, %%ss\n"
      "ltr %w3\n"
      :
      : "m"(gdtr), "i"(GDT_KERNEL_CS), "r"(GDT_KERNEL_DS), "r"(GDT_TSS)
      : "rax", "memory");
}

}  // namespace hal::x86_64
