#pragma once
// The state of the one simulated machine in this process, configured by sim/ before boot.
// Host code: may use libc and std.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <hal/cpu.h>

namespace hal::hostsim {

/// Plays user mode for EnterUser: scripted tests (sim::ScriptedUser) or the ptrace stub
/// runner (native mode). Virtual dispatch is fine here: it is not the kernel's hot path.
class UserMode {
 public:
  virtual ~UserMode() = default;
  virtual Trap Run(UserContext& ctx) = 0;
  virtual void SaveFpu(UserContext& ctx) { (void)ctx; }
  virtual void RestoreFpu(UserContext& ctx) { (void)ctx; }
};

struct MachineConfig {
  uint64_t memory_bytes = 512ull << 20;
  std::string command_line;
  std::vector<uint8_t> initrd;
  /// Where console output goes; by default port 0 is stdout and port 1 stderr.
  std::function<void(unsigned port, std::string_view bytes)> console_output;
  /// Called instead of ending the process when the kernel calls Power::Exit/PowerOff.
  /// Must not return (throw across host frames is not possible: the kernel is -fno-exceptions;
  /// use longjmp-free designs such as running the kernel on its own context and switching).
  std::function<void(int status)> on_exit;
  /// Virtual nanoseconds a trap boundary costs.
  uint64_t ns_per_trap = 1000;
  /// The Unix time the virtual clock starts at.
  uint64_t boot_wall_clock_ns = 1'700'000'000ull * 1'000'000'000ull;
};

/// Creates the physical arena and records the configuration. Call once before the kernel runs.
void ConfigureMachine(MachineConfig config);
/// Tears the arena down (tests that build several machines in one process).
void ResetMachine();

/// The arena: [base, base + size) in this process is physical [0, size).
uint8_t* ArenaBase();
uint64_t ArenaSize();
/// The memfd behind the arena (native mode maps it into stub processes).
int ArenaFd();

void SetUserMode(UserMode* mode);
UserMode* GetUserMode();

/// What Cpu::Idle does when nothing is runnable: by default the virtual clock jumps to the
/// next tick. sim's scripted mode installs its own (waking the test driver, or jumping the
/// clock to the next timer). nullptr restores the default.
using IdleHook = void (*)(void* ctx);
void SetIdleHook(IdleHook hook, void* ctx);
void RunIdleHookOrTick();

/// Advances the virtual clock, delivering timer ticks that fall due.
void AdvanceClock(uint64_t ns);
/// Delivers console input as the UART interrupt would.
void InjectConsoleInput(unsigned port, std::string_view bytes);

}  // namespace hal::hostsim
