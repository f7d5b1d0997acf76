// main() for the scripted sim tests: one hostsim machine (1 GiB of arena, mapped lazily by
// the host) for the whole binary, PID 1's power-off routed to the running sim::Machine.
#include <gtest/gtest.h>

#include "sim/machine.h"

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  sim::BootHostMachine(1ull << 30);
  return RUN_ALL_TESTS();
}
