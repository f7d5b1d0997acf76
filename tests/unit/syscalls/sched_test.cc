// getcpu(2) on hostsim: one CPU on one node, and Linux's order of faults.
#include "kernel/syscalls/sched.h"

#include <gtest/gtest.h>

#include "kernel/proc/task.h"
#include "tests/support/user_memory.h"

namespace kernel::syscalls {
namespace {

TEST(GetcpuTest, AnswersCpuAndNodeZeroAndFaultsAfterTryingBoth) {
  proc::Task* task = proc::Task::AdoptCurrentContext("getcpu").value();
  {
    testing::UserMemory mem;
    u64 cpu = mem.PutValue<u32>(999), node = mem.PutValue<u32>(999);
    const u32 unset = 999;
    ASSERT_TRUE(sys_getcpu(*task, UserOut<u32>(cpu), UserOut<u32>(node), 0).ok());
    EXPECT_EQ(mem.Get<u32>(cpu), 0u);
    EXPECT_EQ(mem.Get<u32>(node), 0u);
    EXPECT_TRUE(sys_getcpu(*task, UserOut<u32>(0), UserOut<u32>(0), 0).ok()) << "both optional";
    mem.Write(node, &unset, sizeof(unset));
    EXPECT_EQ(sys_getcpu(*task, UserOut<u32>(mem.end()), UserOut<u32>(node), 0).error(),
              Errno::kEFAULT);
    EXPECT_EQ(mem.Get<u32>(node), 0u) << "the node is still stored, as Linux does";
    EXPECT_EQ(sys_getcpu(*task, UserOut<u32>(cpu), UserOut<u32>(mem.end()), 0).error(),
              Errno::kEFAULT);
  }
  proc::Task::Destroy(task);
}

}  // namespace
}  // namespace kernel::syscalls
