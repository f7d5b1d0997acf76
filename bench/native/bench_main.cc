// main() for native_bench: one hostsim machine with physical memory, then Google Benchmark.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include "hal/hostsim/machine.h"
#include "kernel/mm/phys_init.h"

int main(int argc, char** argv) {
  hal::hostsim::MachineConfig config;
  config.memory_bytes = 256ull << 20;
  config.console_output = [](unsigned, std::string_view bytes) {
    (void)!::write(STDERR_FILENO, bytes.data(), bytes.size());
  };
  hal::hostsim::ConfigureMachine(std::move(config));
  kernel::mm::InitPhysicalMemory();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
