// fork, clone, exit, wait and futex through scripted system calls.
#include <gtest/gtest.h>
#include <linux/futex.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kernel/mm/page_alloc.h"
#include "kernel/proc/process.h"
#include "sim/machine.h"

namespace {

constexpr int kRw = PROT_READ | PROT_WRITE;
constexpr int kAnon = MAP_PRIVATE | MAP_ANONYMOUS;

class LifecycleTest : public testing::Test {
 protected:
  void SetUp() override { free_pages_ = kernel::mm::GetPhysStats().free_pages; }
  void TearDown() override {
    machine_.reset();
    EXPECT_EQ(kernel::mm::GetPhysStats().free_pages, free_pages_) << "pages leaked";
  }
  sim::Machine& m() { return *machine_; }

  size_t free_pages_ = 0;
  std::unique_ptr<sim::Machine> machine_ = std::make_unique<sim::Machine>();
};

TEST_F(LifecycleTest, FirstProcessIsPid1AndIdsAreConsistent) {
  sim::Pid init = m().Spawn("init");
  EXPECT_EQ(init, 1);
  EXPECT_EQ(m().Syscall(init, SYS_getpid).value, 1);
  EXPECT_EQ(m().Syscall(init, SYS_gettid).value, 1);
  EXPECT_EQ(m().Syscall(init, SYS_getppid).value, 0);
  EXPECT_EQ(m().Syscall(init, SYS_getuid).value, 0);
}

TEST_F(LifecycleTest, ForkChildSeesMemoryAndWaitReapsIt) {
  sim::Pid init = m().Spawn("init");
  int64_t a = m().Mmap(init, 8192, kRw, kAnon);
  ASSERT_GT(a, 0);
  ASSERT_TRUE(m().Store(init, a, "before fork").done());
  sim::Outcome f = m().Syscall(init, SYS_fork);
  ASSERT_TRUE(f.done());
  sim::Pid child = static_cast<sim::Pid>(f.value);
  EXPECT_GT(child, 1);
  EXPECT_EQ(m().Syscall(child, SYS_getppid).value, init);
  EXPECT_EQ(m().Load(child, a, 11).text(), "before fork");
  ASSERT_TRUE(m().Store(child, a, "child wrote").done());
  EXPECT_EQ(m().Load(init, a, 11).text(), "before fork");

  // wait4 blocks until the child exits.
  uint64_t status = static_cast<uint64_t>(m().Mmap(init, 4096, kRw, kAnon));
  sim::Outcome w = m().Syscall(init, SYS_wait4, static_cast<uint64_t>(-1), status, 0, 0);
  EXPECT_TRUE(w.pending());
  EXPECT_TRUE(m().Syscall(child, SYS_exit_group, 42).died());
  w = m().Wait(init);
  ASSERT_TRUE(w.done());
  EXPECT_EQ(w.value, child);
  auto st = m().Load(init, status, 4);
  int code;
  memcpy(&code, st.bytes.data(), 4);
  EXPECT_TRUE(WIFEXITED(code));
  EXPECT_EQ(WEXITSTATUS(code), 42);
  EXPECT_EQ(m().TaskOf(child), nullptr) << "reaped";
  EXPECT_EQ(m().Syscall(init, SYS_wait4, static_cast<uint64_t>(-1), 0, 0, 0).value, -ECHILD);
}

TEST_F(LifecycleTest, WnohangReturnsZeroWhileChildRuns) {
  sim::Pid init = m().Spawn("init");
  sim::Pid child = static_cast<sim::Pid>(m().Syscall(init, SYS_fork).value);
  EXPECT_EQ(m().Syscall(init, SYS_wait4, static_cast<uint64_t>(-1), 0, WNOHANG, 0).value, 0);
  EXPECT_EQ(m().Syscall(init, SYS_wait4, 999, 0, 0, 0).value, -ECHILD);
  EXPECT_EQ(m().Syscall(init, SYS_wait4, static_cast<uint64_t>(-1), 0, 0x1000, 0).value, -EINVAL);
  m().Syscall(child, SYS_exit, 3);
  EXPECT_EQ(m().Syscall(init, SYS_wait4, child, 0, WNOHANG, 0).value, child);
}

TEST_F(LifecycleTest, OrphansAreReparentedToInit) {
  sim::Pid init = m().Spawn("init");
  sim::Pid mid = static_cast<sim::Pid>(m().Syscall(init, SYS_fork).value);
  sim::Pid grandchild = static_cast<sim::Pid>(m().Syscall(mid, SYS_fork).value);
  EXPECT_EQ(m().Syscall(grandchild, SYS_getppid).value, mid);
  m().Syscall(mid, SYS_exit_group, 0);
  EXPECT_EQ(m().Syscall(grandchild, SYS_getppid).value, init);
  EXPECT_EQ(m().Syscall(init, SYS_wait4, mid, 0, 0, 0).value, mid);
  m().Syscall(grandchild, SYS_exit_group, 7);
  EXPECT_EQ(m().Syscall(init, SYS_wait4, static_cast<uint64_t>(-1), 0, 0, 0).value, grandchild);
}

TEST_F(LifecycleTest, ThreadsShareMemoryAndClearChildTidWakesJoiner) {
  sim::Pid init = m().Spawn("init");
  uint64_t a = static_cast<uint64_t>(m().Mmap(init, 4096, kRw, kAnon));
  uint64_t tid_word = a + 64;
  const uint64_t flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
                         CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;
  sim::Outcome c = m().Syscall(init, SYS_clone, flags, a + 2048, tid_word, tid_word, 0x1234000);
  ASSERT_TRUE(c.done());
  sim::Pid thread = static_cast<sim::Pid>(c.value);
  EXPECT_EQ(m().Syscall(thread, SYS_getpid).value, init);
  EXPECT_EQ(m().Syscall(thread, SYS_gettid).value, thread);
  EXPECT_EQ(m().TaskOf(thread)->user_context().regs.fs_base, 0x1234000u);
  int32_t word;
  memcpy(&word, m().Load(init, tid_word, 4).bytes.data(), 4);
  EXPECT_EQ(word, thread) << "CLONE_PARENT_SETTID";
  ASSERT_TRUE(m().Store(thread, a, "shared").done());
  EXPECT_EQ(m().Load(init, a, 6).text(), "shared");

  // pthread_join: wait on the tid word until the kernel clears it at thread exit.
  sim::Outcome join = m().Syscall(init, SYS_futex, tid_word, FUTEX_WAIT, thread, 0, 0, 0);
  EXPECT_TRUE(join.pending());
  EXPECT_TRUE(m().Syscall(thread, SYS_exit, 0).died());
  join = m().Wait(init);
  ASSERT_TRUE(join.done());
  EXPECT_EQ(join.value, 0);
  memcpy(&word, m().Load(init, tid_word, 4).bytes.data(), 4);
  EXPECT_EQ(word, 0);
  EXPECT_FALSE(m().Alive(thread));
  EXPECT_TRUE(m().Alive(init));
}

TEST_F(LifecycleTest, ExitGroupEndsEveryThread) {
  sim::Pid init = m().Spawn("init");
  sim::Pid parent = static_cast<sim::Pid>(m().Syscall(init, SYS_fork).value);
  uint64_t a = static_cast<uint64_t>(m().Mmap(parent, 4096, kRw, kAnon));
  const uint64_t flags = CLONE_VM | CLONE_SIGHAND | CLONE_THREAD;
  sim::Pid t1 = static_cast<sim::Pid>(m().Syscall(parent, SYS_clone, flags, a + 4000).value);
  // t1 blocks in a futex wait; exit_group from the leader must end it.
  EXPECT_TRUE(m().Syscall(t1, SYS_futex, a, FUTEX_WAIT_PRIVATE, 0, 0, 0, 0).pending());
  EXPECT_TRUE(m().Syscall(parent, SYS_exit_group, 5).died());
  m().RunUntilIdle();
  EXPECT_FALSE(m().Alive(t1));
  auto status = m().ExitStatus(parent);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(WEXITSTATUS(*status), 5);
}

TEST_F(LifecycleTest, VforkParentWaitsForExec) {
  sim::Pid init = m().Spawn("init");
  sim::Outcome v = m().Syscall(init, SYS_vfork);
  EXPECT_TRUE(v.pending()) << "the parent sleeps until the child exits or execs";
  // The child is the newest task.
  sim::Pid child = init + 1;
  ASSERT_TRUE(m().Alive(child));
  EXPECT_EQ(m().Syscall(child, SYS_getppid).value, init);
  m().Syscall(child, SYS_exit, 0);
  v = m().Wait(init);
  ASSERT_TRUE(v.done());
  EXPECT_EQ(v.value, child);
}

TEST_F(LifecycleTest, CloneRefusesWhatLinuxRefuses) {
  sim::Pid init = m().Spawn("init");
  EXPECT_EQ(m().Syscall(init, SYS_clone, CLONE_THREAD).value, -EINVAL);
  EXPECT_EQ(m().Syscall(init, SYS_clone, CLONE_SIGHAND).value, -EINVAL);
  EXPECT_EQ(m().Syscall(init, SYS_clone, CLONE_PARENT).value, -EINVAL) << "from init";
  EXPECT_EQ(m().Syscall(init, SYS_clone, CLONE_SETTLS, 0, 0, 0, 0xffff800000000000).value, -EPERM);
  EXPECT_EQ(m().Syscall(init, SYS_clone3, 0, 64).value, -EFAULT);
  EXPECT_EQ(m().Syscall(init, SYS_clone3, 0, 8).value, -EINVAL);
  EXPECT_EQ(m().Syscall(init, SYS_clone3, 0, 8192).value, -E2BIG);
}

TEST_F(LifecycleTest, Clone3WithAStack) {
  sim::Pid init = m().Spawn("init");
  uint64_t a = static_cast<uint64_t>(m().Mmap(init, 8192, kRw, kAnon));
  struct {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
  } args = {CLONE_VM | CLONE_CHILD_SETTID, 0, a, 0, SIGCHLD, a + 4096, 4096, 0};
  ASSERT_TRUE(m().Store(init, a + 64, &args, sizeof(args)).done());
  sim::Outcome c = m().Syscall(init, SYS_clone3, a + 64, sizeof(args));
  ASSERT_TRUE(c.done()) << c.value;
  sim::Pid child = static_cast<sim::Pid>(c.value);
  ASSERT_GT(child, 0);
  EXPECT_EQ(m().TaskOf(child)->user_context().regs.rsp, a + 8192);
  m().RunUntilIdle();
  int32_t word;
  memcpy(&word, m().Load(init, a, 4).bytes.data(), 4);
  EXPECT_EQ(word, child) << "CLONE_CHILD_SETTID, written by the child into shared memory";
}

TEST_F(LifecycleTest, NanosleepAdvancesTheVirtualClock) {
  sim::Pid init = m().Spawn("init");
  uint64_t a = static_cast<uint64_t>(m().Mmap(init, 4096, kRw, kAnon));
  struct timespec ts = {0, 5'000'000};
  m().Store(init, a, &ts, sizeof(ts));
  m().Syscall(init, SYS_clock_gettime, CLOCK_MONOTONIC, a + 16);
  EXPECT_EQ(m().Syscall(init, SYS_nanosleep, a, 0).value, 0);
  m().Syscall(init, SYS_clock_gettime, CLOCK_MONOTONIC, a + 32);
  struct timespec before, after;
  memcpy(&before, m().Load(init, a + 16, 16).bytes.data(), 16);
  memcpy(&after, m().Load(init, a + 32, 16).bytes.data(), 16);
  int64_t elapsed = (after.tv_sec - before.tv_sec) * 1000000000 + (after.tv_nsec - before.tv_nsec);
  EXPECT_GE(elapsed, 5'000'000);
  EXPECT_LT(elapsed, 8'000'000);
}

}  // namespace
