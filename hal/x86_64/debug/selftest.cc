#include "hal/x86_64/debug/selftest.h"

#include <hal/clock.h>
#include <hal/console.h>
#include <hal/cpu.h>
#include <hal/interrupts.h>
#include <hal/power.h>

#include "hal/x86_64/dev/uart16550.h"
#include "hal/x86_64/irq/irq.h"
#include "hal/x86_64/irq/lapic.h"
#include "kernel/debug/log.h"

namespace hal::x86_64 {
namespace {
volatile kernel::u64 g_self_test_ticks = 0;
}  // namespace

void StartSelfTestTick();

[[gnu::noinline]] void PanicTestTrigger() {
  LOG_INFO("panic-test: writing to an unmapped kernel address\n");
  // A canonical, never-mapped address in the kernel half: the write must #PF.
  *reinterpret_cast<volatile kernel::u64*>(0xffff'c000'dead'0000ull) = 0x5a;
  __builtin_unreachable();
}

[[gnu::noinline]] void DoubleFaultTestTrigger() {
  LOG_INFO("doublefault-test: page fault with an unusable stack\n");
  // The #PF cannot push its frame on an unmapped stack, which makes it a #DF; only the IST
  // stack lets the double-fault handler run at all.
  asm volatile(
      "movabsq $0xffffc000dead0000, %%rsp\n"
      "pushq %%rax\n" ::
          : "memory");
  __builtin_unreachable();
}

[[gnu::noinline]] void NmiTestTrigger() {
  LOG_INFO("nmi-test: sending this CPU an NMI\n");
  // ICR: NMI delivery mode to our own APIC ID (the "self" shorthand is for fixed delivery only).
  if (LapicX2()) {
    WriteMsr(0x830, (u64{LapicId()} << 32) | (4u << 8));
  } else {
    LapicWrite(0x310, LapicId() << 24);
    LapicWrite(0x300, 4u << 8);
  }
  for (u64 i = 0; i < 100'000'000; ++i) Pause();
  LOG_ERROR("nmi-test: no NMI arrived\n");
  hal::Power::Exit(1);
}

void CountTick(unsigned) { g_self_test_ticks = g_self_test_ticks + 1; }

void StartSelfTestTick() {
  // The self tests run before KernelMain: keep the kernel's tick hook out of it.
  Interrupts::StartTick(100);
  SetInterruptHandler(kTimerVector, CountTick);
}

int RunInputTest() {
  StartSelfTestTick();
  Console::EnableInput(0);
  const UartStats& st = GetUartStats(0);
  LOG_INFO("inputtest: ready\n");
  kernel::u64 deadline = Clock::MonotonicNs() + 20'000'000'000ull;
  auto last = [&] { return st.recent[(st.received - 1) % sizeof(st.recent)]; };
  while (Clock::MonotonicNs() < deadline &&
         !(st.received > 0 && (last() == '\r' || last() == '\n'))) {
    Cpu::Idle();  // the tick or the UART wakes us
  }
  char line[sizeof(st.recent) + 1];
  kernel::usize n = 0;
  kernel::u64 first = st.received > sizeof(st.recent) ? st.received - sizeof(st.recent) : 0;
  for (kernel::u64 i = first; i < st.received; ++i) {
    char c = static_cast<char>(st.recent[i % sizeof(st.recent)]);
    if (c != '\r' && c != '\n') line[n++] = c;
  }
  line[n] = '\0';
  LOG_INFO("inputtest: received '%s' (%lu bytes in %lu interrupts, %lu ticks)\n", line, st.received,
           st.interrupts, g_self_test_ticks);
  bool ok = st.interrupts > 0 && n == 5 && __builtin_memcmp(line, "hello", 5) == 0;
  return ok ? 0 : 1;
}

void RunBootSelfTests(const kernel::boot::CommandLine& cl) {
  if (cl.Debug(kernel::boot::kDebugPanicTest)) PanicTestTrigger();
  if (cl.Debug(kernel::boot::kDebugDoubleFaultTest)) DoubleFaultTestTrigger();
  if (cl.Debug(kernel::boot::kDebugNmiTest)) NmiTestTrigger();
  if (cl.Debug(kernel::boot::kDebugUserFuzz)) {
    int failures = RunUserFuzz();
    LOG_INFO("userfuzz: %s\n", failures == 0 ? "PASS" : "FAIL");
    hal::Power::Exit(failures == 0 ? 0 : 1);
  }
  if (cl.Debug(kernel::boot::kDebugInputTest)) {
    int failures = RunInputTest();
    LOG_INFO("inputtest: %s\n", failures == 0 ? "PASS" : "FAIL");
    hal::Power::Exit(failures == 0 ? 0 : 1);
  }
  if (cl.Debug(kernel::boot::kDebugUserTest)) {
    int failures = RunUserTest();
    if (failures == 0) {
      LOG_INFO("usertest: PASS\n");
      hal::Power::Exit(0);
    }
    LOG_ERROR("usertest: FAIL (%d checks failed)\n", failures);
    hal::Power::Exit(1);
  }
}

}  // namespace hal::x86_64
