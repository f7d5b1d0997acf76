// The kernel's entry once the HAL has set up the machine: memory, the scheduler, the clock
// tick, then PID 1. The boot context itself becomes the idle task.
#include <hal/boot.h>
#include <hal/interrupts.h>
#include <hal/power.h>

#include "kernel/boot/cmdline.h"
#include "kernel/debug/log.h"
#include "kernel/mm/page_alloc.h"
#include "kernel/mm/phys_init.h"
#include "kernel/proc/scheduler.h"
#include "kernel/proc/task.h"
#include "kernel/proc/user_loop.h"
#include "kernel/syscalls/dispatch.h"
#include "kernel/version.h"

namespace kernel {
namespace {

// Exit statuses of a machine that could not start init (QEMU reports (v<<1)|1).
constexpr int kExitNoMemory = 120;
constexpr int kExitNoInit = 121;

[[noreturn]] void IdleForever(proc::Task& self) {
  for (;;) {
    self.set_state(proc::TaskState::kBlocked);
    proc::sched::Block();  // the scheduler idles the CPU when nothing else is runnable
  }
}

}  // namespace
}  // namespace kernel

namespace hal::hooks {

void KernelMain() {
  using namespace kernel;
  LOG_INFO("Aramid %s (x86_64), booted by %s\n", kVersion, hal::Boot::ProtocolName());
  auto text = hal::Boot::CommandLine();
  LOG_INFO("command line: %.*s\n", static_cast<int>(text.size()), text.data());
  const boot::CommandLine& cmdline = boot::Get();
  syscalls::SetTrace(cmdline.Debug(boot::kDebugSyscall));
  proc::SetFaultDebug(cmdline.Debug(boot::kDebugFault));

  mm::InitPhysicalMemory();
  mm::PhysStats stats = mm::GetPhysStats();
  LOG_INFO("memory: %lu KiB free of %lu KiB managed\n", stats.free_pages * 4, stats.total_pages * 4);

  auto idle = proc::Task::AdoptCurrentContext("swapper");
  if (idle.is_error()) {
    LOG_ERROR("aramid: out of memory before init\n");
    hal::Power::Exit(kExitNoMemory);
  }
  proc::sched::Init(*idle.value());
  hal::Interrupts::StartTick(proc::sched::kTickHz);
  hal::Interrupts::Enable();

  // TODO(#4, #5): mount the initramfs and exec init (cmdline.init) as PID 1.
  LOG_ERROR("aramid: cannot start %s: no root file system or execve yet\n", cmdline.init);
  hal::Power::Exit(kExitNoInit);
  IdleForever(*idle.value());
}

}  // namespace hal::hooks
