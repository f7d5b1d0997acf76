#include "hal/x86_64/debug/selftest.h"

#include <hal/power.h>

#include "kernel/debug/log.h"

namespace hal::x86_64 {

[[gnu::noinline]] void PanicTestTrigger() {
  LOG_INFO("panic-test: writing to an unmapped kernel address\n");
  // A canonical, never-mapped address in the kernel half: the write must #PF.
  *reinterpret_cast<volatile kernel::u64*>(0xffff'c000'dead'0000ull) = 0x5a;
  __builtin_unreachable();
}

void RunBootSelfTests(const kernel::boot::CommandLine& cl) {
  if (cl.Debug(kernel::boot::kDebugPanicTest)) PanicTestTrigger();
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
