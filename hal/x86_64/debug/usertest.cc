// `debug=usertest`: user mode end to end without the kernel's scheduler or mm. Builds its own
// user page tables from pages in .bss (sharing the kernel half), runs debug/usertest_code.S in
// ring 3 and checks every Trap that Cpu::EnterUser returns.
#include <hal/cpu.h>
#include <hal/interrupts.h>
#include <hal/mmu.h>
#include <hal/phys.h>

#include "hal/x86_64/boot/kernel_map.h"
#include "hal/x86_64/cpu/features.h"
#include "hal/x86_64/debug/selftest.h"
#include "hal/x86_64/irq/irq.h"
#include "kernel/debug/log.h"

extern "C" const char aramid_usertest_code[], aramid_usertest_code_end[], aramid_usertest_ud2[],
    aramid_usertest_pf[];

namespace hal::x86_64 {
namespace {

constexpr u64 kCodeVa = 0x40'0000;
constexpr u64 kStackVa = 0x40'1000;
constexpr u64 kFaultVa = 0xdead000;

struct alignas(4096) Page {
  u64 words[512];
};
Page g_pml4, g_pdpt, g_pd, g_pt, g_code, g_stack;
UserContext g_ctx;
UserContext g_other;

u64 PhysOf(const void* p) { return reinterpret_cast<u64>(p) - kKernelVma; }

int g_failures = 0;
int g_checks = 0;

void Check(bool ok, const char* what, u64 got, u64 want) {
  ++g_checks;
  if (ok) {
    LOG_INFO("usertest: ok   %s\n", what);
    return;
  }
  ++g_failures;
  LOG_ERROR("usertest: FAIL %s (got %#lx, want %#lx)\n", what, got, want);
}

#define CHECK_EQ(what, got, want) Check((got) == (want), what, (got), (want))

u64 Offset(const char* label) { return kCodeVa + (label - aramid_usertest_code); }

void BuildAddressSpace() {
  const u64* kernel = static_cast<const u64*>(Phys::ToVirt(KernelPml4()));
  for (int i = 256; i < 512; ++i) g_pml4.words[i] = kernel[i];
  g_pml4.words[0] = PhysOf(&g_pdpt) | pte::kPresent | pte::kWritable | pte::kUser;
  g_pdpt.words[0] = PhysOf(&g_pd) | pte::kPresent | pte::kWritable | pte::kUser;
  g_pd.words[2] = PhysOf(&g_pt) | pte::kPresent | pte::kWritable | pte::kUser;
  g_pt.words[0] = PhysOf(&g_code) | pte::kPresent | pte::kUser;                    // r-x
  g_pt.words[1] = PhysOf(&g_stack) | pte::kPresent | pte::kWritable | pte::kUser;  // rw-, NX
  if (Features().nx) g_pt.words[1] |= pte::kNoExecute;
  __builtin_memcpy(g_code.words, aramid_usertest_code,
                   static_cast<usize>(aramid_usertest_code_end - aramid_usertest_code));
}

}  // namespace

void StartSelfTestTick();  // selftest.cc

int RunUserTest() {
  BuildAddressSpace();
  u64 kernel_cr3 = ReadCr3();
  WriteCr3(PhysOf(&g_pml4));

  UserRegs& r = g_ctx.regs;
  r = UserRegs{};
  r.rip = kCodeVa;
  r.rsp = kStackVa + 4096;
  r.eflags = 0x202;
  r.fs_base = kStackVa;  // user reads %fs:8 and %gs:16: both land in the stack page
  r.gs_base = kStackVa + 64;
  g_stack.words[1] = 0xf5f5'0000'0000'0001ull;
  g_stack.words[10] = 0x6565'0000'0000'0002ull;
  Cpu::InitFpu(g_ctx);
  Cpu::RestoreFpu(g_ctx);

  Trap t = Cpu::EnterUser(g_ctx);
  CHECK_EQ("1 syscall kind", static_cast<u64>(t.kind), static_cast<u64>(TrapKind::kSyscall));
  CHECK_EQ("1 syscall number", r.rax, 1ul);
  CHECK_EQ("1 orig_rax", r.orig_rax, 1ul);
  CHECK_EQ("1 argument rdi", r.rdi, 0x1111ul);
  CHECK_EQ("1 user cs", r.cs, 0x33ul);
  CHECK_EQ("1 user ss", r.ss, 0x2bul);
  CHECK_EQ("1 user rsp", r.rsp, kStackVa + 4096);
  r.rax = 0x2222;

  t = Cpu::EnterUser(g_ctx);
  CHECK_EQ("2 syscall kind", static_cast<u64>(t.kind), static_cast<u64>(TrapKind::kSyscall));
  CHECK_EQ("2 return value reached user mode", r.rdi, 0x2222ul);

  t = Cpu::EnterUser(g_ctx);
  CHECK_EQ("3 #UD kind", static_cast<u64>(t.kind), static_cast<u64>(TrapKind::kFault));
  CHECK_EQ("3 #UD vector", static_cast<u64>(t.vector), static_cast<u64>(vec::kInvalidOpcode));
  CHECK_EQ("3 #UD rip", r.rip, Offset(aramid_usertest_ud2));
  CHECK_EQ("3 #UD orig_rax", r.orig_rax, ~0ul);
  r.rip += 2;

  t = Cpu::EnterUser(g_ctx);
  CHECK_EQ("4 syscall kind", static_cast<u64>(t.kind), static_cast<u64>(TrapKind::kSyscall));
  CHECK_EQ("4 rcx kept across the iretq return", r.rdi, 0x1234ul);
  CHECK_EQ("4 r11 kept across the iretq return", r.rsi, 0x5678ul);

  t = Cpu::EnterUser(g_ctx);
  CHECK_EQ("5 #PF kind", static_cast<u64>(t.kind), static_cast<u64>(TrapKind::kPageFault));
  CHECK_EQ("5 #PF address (CR2)", t.address, kFaultVa);
  CHECK_EQ("5 #PF error code (user read, not present)", t.error_code, pf::kUser);
  CHECK_EQ("5 #PF rip", r.rip, Offset(aramid_usertest_pf));
  r.rip += 3;

  t = Cpu::EnterUser(g_ctx);
  CHECK_EQ("6 syscall kind", static_cast<u64>(t.kind), static_cast<u64>(TrapKind::kSyscall));
  CHECK_EQ("6 syscall number", r.rax, 5ul);
  // Switch "tasks": save ours, load a fresh state (xmm0 = 0), then bring ours back.
  Cpu::SaveFpu(g_ctx);
  Cpu::InitFpu(g_other);
  Cpu::RestoreFpu(g_other);
  Cpu::RestoreFpu(g_ctx);

  t = Cpu::EnterUser(g_ctx);
  CHECK_EQ("7 syscall number", r.rax, 6ul);
  CHECK_EQ("7 xmm0 survived SaveFpu/RestoreFpu", r.rdi, 0x4242424242424242ul);

  t = Cpu::EnterUser(g_ctx);
  CHECK_EQ("7b syscall number", r.rax, 7ul);
  CHECK_EQ("7b %fs:8 through fs_base", r.rdi, 0xf5f5'0000'0000'0001ul);
  CHECK_EQ("7b %gs:16 through gs_base (swapgs)", r.rsi, 0x6565'0000'0000'0002ul);
  CHECK_EQ("7b fs_base read back", r.fs_base, kStackVa);
  CHECK_EQ("7b gs_base read back", r.gs_base, kStackVa + 64);

  // Single-step traps (#DB, vector 1) until the syscall; the kernel clears TF each time.
  int steps = 0;
  for (int i = 0; i < 16; ++i) {
    t = Cpu::EnterUser(g_ctx);
    if (t.kind != TrapKind::kFault || t.vector != vec::kDebug) break;
    ++steps;
    r.eflags &= ~0x100ul;
  }
  Check(steps >= 1, "7c single-step traps reported as #DB faults", static_cast<u64>(steps), 1);
  CHECK_EQ("7c syscall after single-stepping", r.rax, 8ul);
  r.eflags &= ~0x100ul;

  // The timer interrupts the spinning user code; the kernel then releases it.
  StartSelfTestTick();
  int interrupts = 0;
  bool other = false;
  for (int i = 0; i < 1000; ++i) {
    t = Cpu::EnterUser(g_ctx);
    if (t.kind == TrapKind::kInterrupt) {
      if (t.vector == kTimerVector) ++interrupts;
      r.rbx = 1;
      continue;
    }
    if (t.kind != TrapKind::kSyscall) other = true;
    break;
  }
  Check(interrupts > 0 && !other, "8 timer interrupt in user mode returned kInterrupt",
        static_cast<u64>(interrupts), 1);
  CHECK_EQ("8 exit syscall", r.rax, 60ul);

  r.fs_base = 0x0000'8000'0000'0000ull;  // non-canonical: wrmsr would #GP in the kernel
  t = Cpu::EnterUser(g_ctx);
  CHECK_EQ("9 non-canonical fs_base is a #GP", static_cast<u64>(t.vector),
           static_cast<u64>(vec::kGeneralProtection));
  r.fs_base = 0;

  r.rip = 0x0000'8000'0000'0000ull;  // non-canonical: must not reach sysret/iretq
  t = Cpu::EnterUser(g_ctx);
  CHECK_EQ("9 non-canonical rip is a #GP", static_cast<u64>(t.vector),
           static_cast<u64>(vec::kGeneralProtection));

  WriteCr3(kernel_cr3);
  LOG_INFO("usertest: %d checks, %d failed\n", g_checks, g_failures);
  return g_failures;
}

}  // namespace hal::x86_64
