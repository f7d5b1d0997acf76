// The first C++ on x86_64: keep what the loader handed over, set the machine up in dependency
// order, and enter the kernel. Runs on the boot stack; until InitKernelPageTables the boot
// page tables map the first 4 GiB at kDirectMapBase and the first 1 GiB at kKernelVma.
#include <hal/backend/io.h>
#include <hal/boot.h>
#include <hal/clock.h>
#include <hal/console.h>
#include <hal/kernel_hooks.h>
#include <hal/phys.h>
#include <hal/power.h>

#include "hal/x86_64/acpi/acpi.h"
#include "hal/x86_64/boot/boot_info.h"
#include "hal/x86_64/boot/kernel_map.h"
#include "hal/x86_64/boot/phys_ranges.h"
#include "hal/x86_64/cpu/features.h"
#include "hal/x86_64/cpu/fpu.h"
#include "hal/x86_64/cpu/gdt.h"
#include "hal/x86_64/cpu/idt.h"
#include "hal/x86_64/cpu/user_entry.h"
#include "hal/x86_64/debug/selftest.h"
#include "hal/x86_64/dev/power_setup.h"
#include "hal/x86_64/irq/irq.h"
#include "hal/x86_64/irq/lapic.h"
#include "hal/x86_64/time/timebase.h"
#include "kernel/boot/cmdline.h"
#include "kernel/debug/log.h"
#include "kernel/debug/symbols.h"
#include "kernel/lib/format.h"

namespace hal::x86_64 {

void InitClock();               // time/clock.cc
const char* ClockSourceName();  // time/clock.cc

namespace {

/// Exit status for a command line the kernel refuses (QEMU reports (3<<1)|1 = 7).
constexpr int kExitBadCommandLine = 3;
/// Exit status when the loader is not recognised or gave no memory map.
constexpr int kExitBadBoot = 4;

kernel::boot::CommandLine g_cmdline;
u64 g_first_line_tsc = 0;
char g_cmdline_error[192];
bool g_cmdline_ok = true;

void ApplyCommandLine() {
  if (GetBootInfo().cmdline_truncated) {
    // Running with half a command line would be running with one nobody asked for.
    kernel::lib::Snprintf(g_cmdline_error, sizeof(g_cmdline_error), "longer than %zu bytes",
                          sizeof(BootInfo::cmdline) - 1);
    g_cmdline_ok = false;
    return;
  }
  g_cmdline_ok = kernel::boot::ParseCommandLine(Boot::CommandLine(), g_cmdline, g_cmdline_error,
                                                sizeof(g_cmdline_error));
  if (!g_cmdline_ok) return;
  kernel::boot::SetCommandLine(g_cmdline);
  kernel::log::SetLevel(g_cmdline.loglevel);
  if (Console::Present(g_cmdline.console_port)) kernel::log::SetPort(g_cmdline.console_port);
}

void LogMachine() {
  const CpuFeatures& f = Features();
  const AcpiInfo& a = Acpi();
  const TimeBase& tb = GetTimeBase();
  DirectMapStats dm = GetDirectMapStats();
  u64 usable = UsableBytes();
  LOG_INFO("x86_64: cpu %s%s: nx=%d 1g=%d smep=%d smap=%d umip=%d x2apic=%d xsave=%d avx=%d\n",
           f.vendor, f.hypervisor ? " (hypervisor)" : "", f.nx, f.gbpages, f.smep, f.smap, f.umip,
           f.x2apic, f.xsave, f.avx);
  LOG_INFO(
      "x86_64: memory: %lu MiB usable in %zu ranges, phys end %#lx; direct map %lu MiB "
      "(%lu x 1G, %lu x 2M, %lu x 4K)\n",
      usable >> 20, Phys::UsableRanges().size(), Phys::PhysEnd(), dm.bytes >> 20, dm.pages_1g,
      dm.pages_2m, dm.pages_4k);
  LOG_INFO("x86_64: acpi %s, %zu I/O APIC(s), irq routing %s, lapic %s, hpet %s\n",
           a.found ? "found" : "absent", a.ioapic_count, InterruptRouting(),
           !LapicPresent() ? "absent"
           : LapicX2()     ? "x2apic"
                           : "xapic",
           a.hpet_phys ? "yes" : "no");
  LOG_DEBUG("x86_64: acpi power: hw_reduced=%d pm1a=%#x pm1b=%#x s5=%d/%u sleep_ctl=%u:%#lx\n",
            a.hw_reduced, a.pm1a_cnt, a.pm1b_cnt, a.s5_found, a.s5_slp_typ_a, a.sleep_ctl_space,
            a.sleep_ctl_addr);
  LOG_INFO(
      "x86_64: tsc %lu kHz, apic timer %lu kHz (calibrated against %s, %d wait%s%s), "
      "clock %s\n",
      tb.tsc_hz / 1000, tb.apic_timer_hz / 1000, tb.reference, tb.attempts,
      tb.attempts == 1 ? "" : "s", tb.clean ? "" : ", all preempted: may be too high",
      ClockSourceName());
  auto initrd = Boot::Initrd();
  char head[17] = {};
  for (usize i = 0; i < 16 && i < initrd.size(); ++i) {
    head[i] = initrd[i] >= 0x20 && initrd[i] < 0x7f ? static_cast<char>(initrd[i]) : '.';
  }
  u64 wall = Clock::BootWallClockNs() / 1'000'000'000;
  CivilTime ct = CivilFromUnix(wall);
  LOG_INFO("x86_64: rtc %04u-%02u-%02u %02u:%02u:%02u UTC%s\n", ct.year, ct.month, ct.day, ct.hour,
           ct.minute, ct.second, wall == 0 ? " (no RTC)" : "");
  // The TSC starts at 0 at CPU reset (QEMU and real CPUs alike), so its value at the first
  // C++ line is the time firmware and loader took.
  LOG_INFO(
      "x86_64: first C++ line at %lu us after CPU reset; machine setup took %lu us "
      "(calibration included)\n",
      g_first_line_tsc / (tb.tsc_hz / 1'000'000),
      (ReadTsc() - g_first_line_tsc) * 1'000'000 / tb.tsc_hz);
  LOG_INFO("x86_64: %zu kernel symbols; initrd %zu bytes at phys %#lx \"%s\"\n",
           kernel::debug::SymbolCount(), initrd.size(), GetBootInfo().initrd_phys, head);
}

}  // namespace
}  // namespace hal::x86_64

extern "C" void (*aramid_init_array_start[])();
extern "C" void (*aramid_init_array_end[])();

extern "C" [[noreturn]] void aramid_boot_main(kernel::u32 magic, kernel::u64 info) {
  using namespace hal::x86_64;
  // One byte to QEMU's debugcon port (ignored without -debugcon): tests/qemu/measure_boot.py
  // times the first C++ line by it.
  Out8(0xe9, '!');
  g_first_line_tsc = ReadTsc();
  // Constructors of globals (intrusive list heads, ...) run before anything uses them, as
  // the host's C runtime does for hostsim. None of them may allocate or print.
  for (auto* ctor = aramid_init_array_start; ctor != aramid_init_array_end; ++ctor) (*ctor)();
  if (!ParseBootInfo(magic, info)) {
    LOG_ERROR("aramid: unknown boot protocol (magic %#x): need PVH or Multiboot2\n", magic);
    hal::Power::Exit(kExitBadBoot);
  }
  ApplyCommandLine();
  if (!g_cmdline_ok) {
    // Say it at once, on both ports: which console was meant is part of what failed.
    for (unsigned port = 0; port < hal::kConsolePorts; ++port) {
      kernel::log::SetPort(port);
      LOG_ERROR("aramid: bad kernel command line: %s\n", g_cmdline_error);
    }
    kernel::log::SetPort(0);
  }
  LOG_INFO("x86_64: booted by %s, %zu memory map entries\n", Boot::ProtocolName(),
           GetBootInfo().memmap_count);
  if (GetBootInfo().memmap_truncated) {
    LOG_WARN("x86_64: memory map has more than %zu entries: the rest is not used\n",
             BootInfo::kMaxRanges);
  }

  DetectCpuFeatures();
  ParseAcpi();
  if (!InitPhysRanges()) {
    LOG_ERROR("aramid: the loader reported no usable RAM\n");
    hal::Power::Exit(kExitBadBoot);
  }
  InitGdt();
  InitIdt();
  if (Features().nx) WriteMsr(kMsrEfer, ReadMsr(kMsrEfer) | kEferNxe);
  InitKernelPageTables({Features().nx, Features().gbpages, Features().pge});
  EnableCpuProtections();
  InitFpuHardware();
  InitUserEntry();
  InitPower();
  if (!g_cmdline_ok) {
    LOG_ERROR("aramid: powering off (exit status %d)\n", kExitBadCommandLine);
    hal::Power::Exit(kExitBadCommandLine);
  }
  InitInterruptControllers(g_cmdline_ok && g_cmdline.Debug(kernel::boot::kDebugForcePic));
  InitTime();
  InitClock();
  LogMachine();
  RunBootSelfTests(kernel::boot::Get());
  hal::hooks::KernelMain();
}
