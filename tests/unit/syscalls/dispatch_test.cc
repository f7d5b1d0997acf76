#include "kernel/syscalls/dispatch.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kernel/proc/process.h"
#include "kernel/proc/scheduler.h"
#include "kernel/syscalls/table.h"

namespace kernel::syscalls {
namespace {

struct SyscallRecordCopy {
  u64 number;
  u64 arg0;
  i64 result;
};

class DispatchTest : public testing::Test {
 protected:
  void SetUp() override {
    task_ = proc::Task::AdoptCurrentContext("disp").value();
    proc::sched::Init(*task_);
    process_ = proc::Process::Create(*task_, nullptr).value();
  }
  // The task stays on its process's thread list, so it is left alive, as the other tests
  // that adopt the test thread's context do (destroying it while linked is the assertion
  // the Debug and sanitizer builds make).
  void TearDown() override { SetTrace(false); }

  i64 Call(u64 nr, u64 a0 = 0, u64 a1 = 0, u64 a2 = 0, u64 a3 = 0, u64 a4 = 0, u64 a5 = 0) {
    hal::UserRegs& r = task_->user_context().regs;
    r.rax = r.orig_rax = nr;
    r.rdi = a0;
    r.rsi = a1;
    r.rdx = a2;
    r.r10 = a3;
    r.r8 = a4;
    r.r9 = a5;
    Dispatch(*task_);
    return static_cast<i64>(r.rax);
  }

  proc::Task* task_ = nullptr;
  proc::Process* process_ = nullptr;
};

TEST_F(DispatchTest, ImplementedCallsReturnTheirValues) {
  EXPECT_EQ(Call(39), process_->pid());  // getpid
  EXPECT_EQ(Call(186), task_->tid());    // gettid
  EXPECT_EQ(Call(24), 0);                // sched_yield
}

TEST_F(DispatchTest, UnknownAndUnassignedNumbersAreEnosys) {
  EXPECT_EQ(Call(1000), -38);
  EXPECT_EQ(Call(~u64{0}), -38);
  EXPECT_EQ(Call(335), -38);  // a hole in the x86_64 table
  EXPECT_EQ(Lookup(1000), nullptr);
}

TEST_F(DispatchTest, LastCallsAreRecorded) {
  Call(39);
  Call(1000, 7, 8, 9);
  std::vector<SyscallRecordCopy> seen;
  task_->ForEachRecentSyscall([&](const proc::SyscallRecord& r) {
    seen.push_back({r.number, r.args[0], r.result});
  });
  ASSERT_GE(seen.size(), 2u);
  EXPECT_EQ(seen.back().number, 1000u);
  EXPECT_EQ(seen.back().arg0, 7u);
  EXPECT_EQ(seen.back().result, -38);
}

std::string g_trace;
void CaptureTrace(const char* line, usize n) { g_trace.append(line, n); }

TEST_F(DispatchTest, TraceLinesLookLikeStrace) {
  g_trace.clear();
  SetTrace(true, &CaptureTrace);
  Call(39);
  Call(1000, 1, 2);
  std::string pid = std::to_string(process_->pid());
  EXPECT_EQ(g_trace, "[" + pid + "] getpid() = " + pid + "\n[" + pid +
                         "] syscall_1000(0x1, 0x2, 0, 0, 0, 0) = -1 ENOSYS\n");
}

}  // namespace
}  // namespace kernel::syscalls
