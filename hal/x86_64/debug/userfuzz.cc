// `debug=userfuzz`: random bytes run as user code with random registers, thousands of times.
// Whatever they do (privileged instructions, far jumps and segment loads, int N, wild memory
// accesses, syscalls with any rax, TF/AC/DF set, non-canonical bases), each attempt must come
// back from Cpu::EnterUser as a Trap and never as a kernel exception. Deterministic: a fixed seed.
#include <hal/cpu.h>
#include <hal/interrupts.h>
#include <hal/mmu.h>
#include <hal/phys.h>

#include "hal/x86_64/boot/kernel_map.h"
#include "hal/x86_64/cpu/features.h"
#include "hal/x86_64/debug/selftest.h"
#include "kernel/debug/log.h"

namespace hal::x86_64 {

void StartSelfTestTick();  // selftest.cc

namespace {

constexpr u64 kCodeVa = 0x40'0000;
constexpr u64 kStackVa = 0x40'1000;
constexpr int kRuns = 4000;
constexpr int kMaxTrapsPerRun = 16;

struct alignas(4096) Page {
  u64 words[512];
};
Page g_pml4, g_pdpt, g_pd, g_pt, g_code, g_stack;
UserContext g_ctx;

u64 PhysOf(const void* p) { return reinterpret_cast<u64>(p) - kKernelVma; }

u64 g_rng = 0x9e37'79b9'7f4a'7c15ull;
u64 Next() {  // xorshift64*
  g_rng ^= g_rng >> 12;
  g_rng ^= g_rng << 25;
  g_rng ^= g_rng >> 27;
  return g_rng * 0x2545'f491'4f6c'dd1dull;
}

void BuildAddressSpace() {
  const u64* kernel = static_cast<const u64*>(Phys::ToVirt(KernelPml4()));
  for (int i = 256; i < 512; ++i) g_pml4.words[i] = kernel[i];
  g_pml4.words[0] = PhysOf(&g_pdpt) | pte::kPresent | pte::kWritable | pte::kUser;
  g_pdpt.words[0] = PhysOf(&g_pd) | pte::kPresent | pte::kWritable | pte::kUser;
  g_pd.words[2] = PhysOf(&g_pt) | pte::kPresent | pte::kWritable | pte::kUser;
  g_pt.words[0] = PhysOf(&g_code) | pte::kPresent | pte::kUser;
  g_pt.words[1] = PhysOf(&g_stack) | pte::kPresent | pte::kWritable | pte::kUser;
  if (Features().nx) g_pt.words[1] |= pte::kNoExecute;
}

// Registers for one run: mostly random, sometimes pointing at the mapped pages.
void RandomRegisters(UserRegs& r) {
  u64* gprs[] = {&r.r15, &r.r14, &r.r13, &r.r12, &r.rbp, &r.rbx, &r.r11, &r.r10,
                 &r.r9,  &r.r8,  &r.rax, &r.rcx, &r.rdx, &r.rsi, &r.rdi};
  for (u64* g : gprs) {
    u64 v = Next();
    *g = (v & 3) == 0 ? kStackVa + (v >> 52) : v;
  }
  r.rip = kCodeVa + (Next() % 4096);
  r.rsp = (Next() & 7) == 0 ? Next() : kStackVa + 2048 + (Next() % 2048);
  r.eflags = Next();  // EnterUser keeps only what user code may set
  u64 bases = Next();
  r.fs_base = (bases & 15) == 0 ? Next() : (bases & 1) ? kStackVa : 0;
  r.gs_base = (bases & 0xf0) == 0 ? Next() : (bases & 2) ? kStackVa : 0;
}

}  // namespace

int RunUserFuzz() {
  BuildAddressSpace();
  u64 kernel_cr3 = ReadCr3();
  WriteCr3(PhysOf(&g_pml4));
  StartSelfTestTick();
  Cpu::InitFpu(g_ctx);
  u64 counts[4] = {};
  u64 vectors = 0;  // bit v: vector v was seen as a fault
  for (int run = 0; run < kRuns; ++run) {
    for (u64& w : g_code.words) w = Next();
    // Sprinkle in the instructions that probe the entry paths hardest.
    static constexpr u8 kProbes[][2] = {
        {0x0f, 0x05},  // syscall
        {0x0f, 0x07},  // sysret (privileged)
        {0x0f, 0x34},  // sysenter
        {0x48, 0xcf},  // iretq
        {0xcd, 0x80},  // int 0x80
        {0xf1, 0x90},  // icebp
        {0xcc, 0x90},  // int3
        {0x0f, 0x01},  // group 7 (swapgs, sgdt, ...)
        {0x8e, 0xd0},  // mov %eax, %ss
        {0x8e, 0xe8},  // mov %eax, %gs
        {0x9d, 0x90},  // popf
        {0xfa, 0xf4},  // cli; hlt
    };
    auto* code = reinterpret_cast<u8*>(g_code.words);
    for (int k = 0; k < 64; ++k) {
      const u8* p = kProbes[Next() % (sizeof(kProbes) / sizeof(kProbes[0]))];
      usize at = Next() % 4095;
      code[at] = p[0];
      code[at + 1] = p[1];
    }
    RandomRegisters(g_ctx.regs);
    Cpu::RestoreFpu(g_ctx);
    for (int n = 0; n < kMaxTrapsPerRun; ++n) {
      Trap t = Cpu::EnterUser(g_ctx);
      ++counts[static_cast<int>(t.kind)];
      if (t.kind == TrapKind::kFault || t.kind == TrapKind::kPageFault) {
        vectors |= 1ull << (t.vector & 63);
        // Go on a few bytes further (or somewhere new), with whatever state the fault left.
        UserRegs& r = g_ctx.regs;
        r.rip = (r.rip >= kCodeVa && r.rip < kCodeVa + 4000) ? r.rip + 1 + Next() % 4
                                                             : kCodeVa + Next() % 4096;
      }
    }
  }
  WriteCr3(kernel_cr3);
  LOG_INFO(
      "userfuzz: %d runs: %lu syscalls, %lu page faults, %lu faults, %lu interrupts; fault "
      "vectors %#lx\n",
      kRuns, counts[0], counts[1], counts[2], counts[3], vectors);
  // The mix must have exercised the paths it is meant to: syscalls, #PF and #GP/#UD at least.
  bool ok = counts[0] > 0 && counts[1] > 0 && (vectors & (1u << 13)) && (vectors & (1u << 6));
  return ok ? 0 : 1;
}

}  // namespace hal::x86_64
