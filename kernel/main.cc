// The kernel's entry once the HAL has set up the machine: memory, the scheduler, the clock
// tick, then PID 1. The boot context itself becomes the idle task.
#include <hal/boot.h>
#include <hal/interrupts.h>
#include <hal/power.h>

#include "kernel/boot/cmdline.h"
#include "kernel/debug/log.h"
#include "kernel/fs/initramfs/initramfs.h"
#include "kernel/mm/page_alloc.h"
#include "kernel/mm/phys_init.h"
#include "kernel/proc/init.h"
#include "kernel/proc/scheduler.h"
#include "kernel/proc/task.h"
#include "kernel/proc/user_loop.h"
#include "kernel/syscalls/dispatch.h"
#include "kernel/tty/serial.h"
#include "kernel/version.h"

// The tools read this symbol to know that this image starts PID 1 from the initramfs and
// turns PID 1's exit into the machine's exit status (tools/aramid_py/kernels.py).
extern "C" __attribute__((used)) const char aramid_capability_init = 1;

namespace kernel {
namespace {

// Exit status of a machine out of memory before init (QEMU reports (v<<1)|1).
constexpr int kExitNoMemory = 120;

// Unpacks the initramfs into the root file system and starts PID 1 (Linux's kernel_init).
// Without a usable root or init the machine stops with proc::kExitNoInit: the message names
// what is missing, as Linux's "No working init found" does.
void StartInit(const boot::CommandLine& cmdline) {
  std::span<const u8> initrd = hal::Boot::Initrd();
  if (initrd.empty()) {
    LOG_ERROR("aramid: cannot start %s: no initramfs was loaded\n", cmdline.init);
    hal::Power::Exit(proc::kExitNoInit);
  }
  if (auto r = fs::MountRootFromInitramfs(initrd); r.is_error()) {
    LOG_ERROR("aramid: cannot start %s: initramfs unpacking failed: %s\n", cmdline.init,
              ErrnoName(r.error()));
    hal::Power::Exit(proc::kExitNoInit);
  }
  proc::InitSpec spec;
  Result<void> made = [&]() -> Result<void> {
    spec.path = TRY(lib::String::TryFrom(cmdline.init));
    TRY(spec.argv.TryPush(TRY(lib::String::TryFrom(cmdline.init))));
    for (usize i = 0; i < cmdline.init_argc; ++i) {
      TRY(spec.argv.TryPush(TRY(lib::String::TryFrom(cmdline.init_args[i]))));
    }
    TRY(proc::StartInit(lib::move(spec)));
    return Ok();
  }();
  if (made.is_error()) {
    LOG_ERROR("aramid: cannot start %s: %s\n", cmdline.init, ErrnoName(made.error()));
    hal::Power::Exit(made.error() == Errno::kENOMEM ? kExitNoMemory : proc::kExitNoInit);
  }
}

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
  proc::SetPageFaultDebug(cmdline.Debug(boot::kDebugPageFault));

  mm::InitPhysicalMemory();
  mm::PhysStats stats = mm::GetPhysStats();
  LOG_INFO("memory: %lu KiB free of %lu KiB managed\n", stats.free_pages * 4,
           stats.total_pages * 4);

  auto idle = proc::Task::AdoptCurrentContext("swapper");
  if (idle.is_error()) {
    LOG_ERROR("aramid: out of memory before init\n");
    hal::Power::Exit(kExitNoMemory);
  }
  proc::sched::Init(*idle.value());
  hal::Interrupts::StartTick(proc::sched::kTickHz);
  hal::Interrupts::Enable();

  if (auto r = tty::InitSerial(); r.is_error()) {
    LOG_ERROR("aramid: serial terminals: %s\n", ErrnoName(r.error()));
  }
  StartInit(cmdline);
  IdleForever(*idle.value());
}

}  // namespace hal::hooks
