// hostsim's machine: the physical arena, the virtual clock, the console and power, the
// interrupt flag. One machine per process at a time.
#include "hal/hostsim/machine.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <hal/boot.h>
#include <hal/clock.h>
#include <hal/console.h>
#include <hal/interrupts.h>
#include <hal/kernel_hooks.h>
#include <hal/phys.h>
#include <hal/power.h>

namespace hal::hostsim {
namespace {

// The first MiB is never handed to the kernel, as on a PC, so physical address 0 stays
// recognisably invalid.
constexpr uint64_t kReservedLow = 1ull << 20;

struct Machine {
  MachineConfig config;
  int fd = -1;
  uint8_t* base = nullptr;
  uint64_t size = 0;
  MemoryRange usable[1];
  uint64_t now_ns = 0;
  uint64_t tick_period_ns = 0;
  uint64_t next_tick_ns = 0;
  bool irqs_enabled = false;
  bool input_enabled[kConsolePorts] = {};
  UserMode* user_mode = nullptr;
  IdleHook idle_hook = nullptr;
  void* idle_ctx = nullptr;
};

Machine* g_machine = nullptr;

Machine& M() {
  if (g_machine == nullptr) {
    std::fprintf(stderr, "hostsim: the machine is used before ConfigureMachine()\n");
    std::abort();
  }
  return *g_machine;
}

}  // namespace

void ConfigureMachine(MachineConfig config) {
  ResetMachine();
  auto* m = new Machine;
  m->config = std::move(config);
  m->size = m->config.memory_bytes;
  m->fd = memfd_create("aramid-phys", MFD_CLOEXEC);
  if (m->fd < 0 || ftruncate(m->fd, static_cast<off_t>(m->size)) != 0) {
    std::fprintf(stderr, "hostsim: cannot create a %llu-byte arena: %s\n",
                 static_cast<unsigned long long>(m->size), std::strerror(errno));
    std::abort();
  }
  void* p = mmap(nullptr, m->size, PROT_READ | PROT_WRITE, MAP_SHARED, m->fd, 0);
  if (p == MAP_FAILED) {
    std::fprintf(stderr, "hostsim: cannot map the arena: %s\n", std::strerror(errno));
    std::abort();
  }
  m->base = static_cast<uint8_t*>(p);
  m->usable[0] = MemoryRange{kReservedLow, m->size - kReservedLow};
  g_machine = m;
}

void ResetMachine() {
  if (g_machine == nullptr) return;
  munmap(g_machine->base, g_machine->size);
  close(g_machine->fd);
  delete g_machine;
  g_machine = nullptr;
}

uint8_t* ArenaBase() { return M().base; }
uint64_t ArenaSize() { return M().size; }
int ArenaFd() { return M().fd; }
void SetUserMode(UserMode* mode) { M().user_mode = mode; }
UserMode* GetUserMode() { return M().user_mode; }

void SetIdleHook(IdleHook hook, void* ctx) {
  M().idle_hook = hook;
  M().idle_ctx = ctx;
}

void RunIdleHookOrTick() {
  Machine& m = M();
  if (m.idle_hook != nullptr) {
    m.idle_hook(m.idle_ctx);
  } else {
    AdvanceClock(1'000'000);
  }
}

void AdvanceClock(uint64_t ns) {
  Machine& m = M();
  m.now_ns += ns;
  // Ticks are delivered as interrupts would be: only when interrupts are enabled, and each
  // one at most once however far the clock jumped.
  if (m.tick_period_ns != 0 && m.now_ns >= m.next_tick_ns) {
    m.next_tick_ns = m.now_ns - (m.now_ns % m.tick_period_ns) + m.tick_period_ns;
    bool was = m.irqs_enabled;
    m.irqs_enabled = false;
    hooks::OnTimerTick();
    m.irqs_enabled = was;
  }
}

void InjectConsoleInput(unsigned port, std::string_view bytes) {
  Machine& m = M();
  if (port >= kConsolePorts || !m.input_enabled[port]) return;
  bool was = m.irqs_enabled;
  m.irqs_enabled = false;
  for (char c : bytes) hooks::OnConsoleInput(port, static_cast<kernel::u8>(c));
  m.irqs_enabled = was;
}

// ---- phys ----
std::span<const MemoryRange> Phys::UsableRanges() { return {M().usable, 1}; }
void* Phys::ToVirt(PhysAddr pa) { return M().base + pa; }
PhysAddr Phys::ToPhys(const void* p) {
  return static_cast<PhysAddr>(static_cast<const uint8_t*>(p) - M().base);
}
PhysAddr Phys::PhysEnd() { return M().size; }

// ---- boot ----
std::string_view Boot::CommandLine() { return M().config.command_line; }
std::span<const kernel::u8> Boot::Initrd() { return M().config.initrd; }

// ---- clock ----
kernel::u64 Clock::MonotonicNs() { return M().now_ns; }
kernel::u64 Clock::BootWallClockNs() { return M().config.boot_wall_clock_ns; }
// The clock is virtual: a stub reading the host's TSC would see another time (and break
// determinism), so the vDSO always calls the kernel here.
UserClock Clock::UserReadable() { return {}; }

// ---- interrupts ----
void Interrupts::Disable() { M().irqs_enabled = false; }
void Interrupts::Enable() { M().irqs_enabled = true; }
bool Interrupts::Enabled() { return M().irqs_enabled; }
IrqState Interrupts::SaveAndDisable() {
  IrqState s{M().irqs_enabled ? 1u : 0u};
  M().irqs_enabled = false;
  return s;
}
void Interrupts::Restore(IrqState s) { M().irqs_enabled = s.value != 0; }
void Interrupts::StartTick(kernel::u32 hz) {
  Machine& m = M();
  m.tick_period_ns = hz ? 1'000'000'000ull / hz : 0;
  m.next_tick_ns = m.now_ns + m.tick_period_ns;
}

// ---- console ----
bool Console::Present(unsigned port) { return port < kConsolePorts; }
void Console::Write(unsigned port, const char* data, kernel::usize n) {
  if (g_machine != nullptr && g_machine->config.console_output) {
    g_machine->config.console_output(port, std::string_view(data, n));
    return;
  }
  int fd = port == 0 ? STDOUT_FILENO : STDERR_FILENO;
  while (n > 0) {
    ssize_t w = ::write(fd, data, n);
    if (w <= 0) {
      if (w < 0 && errno == EINTR) continue;
      return;
    }
    data += w;
    n -= static_cast<kernel::usize>(w);
  }
}
void Console::EnableInput(unsigned port) {
  if (port < kConsolePorts) M().input_enabled[port] = true;
}

// ---- power ----
void Power::Exit(int status) {
  if (g_machine != nullptr && g_machine->config.on_exit) g_machine->config.on_exit(status);
  std::fflush(nullptr);
  std::_Exit(status);
}
void Power::PowerOff() { Exit(0); }
void Power::Reboot() { Exit(0); }

}  // namespace hal::hostsim
