// main() for unit-test binaries: one hostsim machine for the whole binary, its physical memory
// (page allocator and heap), then GoogleTest.
#include <gtest/gtest.h>
#include <unistd.h>

#include "hal/hostsim/machine.h"
#include "kernel/mm/phys_init.h"

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  hal::hostsim::MachineConfig config;
  config.memory_bytes = 256ull << 20;
  // Everything the kernel prints (log, panics) goes to stderr, where death tests look.
  config.console_output = [](unsigned, std::string_view bytes) {
    (void)!::write(STDERR_FILENO, bytes.data(), bytes.size());
  };
  hal::hostsim::ConfigureMachine(std::move(config));
  // Every unit test gets a working page allocator and heap.
  kernel::mm::InitPhysicalMemory();
  return RUN_ALL_TESTS();
}
