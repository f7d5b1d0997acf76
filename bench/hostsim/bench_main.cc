// main() for the hostsim Google Benchmark binaries: one hostsim machine (256 MiB arena) with
// its page allocator and heap, as the unit tests have, then Google Benchmark, which honours
// --benchmark_format=json, --benchmark_filter=... and the rest of its flags.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include "hal/hostsim/machine.h"
#include "kernel/mm/phys_init.h"

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  hal::hostsim::MachineConfig config;
  config.memory_bytes = 256ull << 20;
  config.console_output = [](unsigned, std::string_view bytes) {
    (void)!::write(STDERR_FILENO, bytes.data(), bytes.size());
  };
  hal::hostsim::ConfigureMachine(std::move(config));
  kernel::mm::InitPhysicalMemory();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
