// proc's calls into the time, signal and session code, checked through their effects: CPU
// time of exited threads and reaped children (time::AccountThreadExit, AccountReapedChild),
// timers released at exit and POSIX timers deleted at execve (ReleaseProcessTimers, OnExec),
// RLIMIT_CORE reaching the signal code, RLIMIT_NOFILE reaching the fd table, and process groups
// across fork, exit and reaping (tty::JoinInitialGroup, OnProcessExit, OnReparented, LeaveGroup).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <cstring>

#include "kernel/fs/fd_table.h"
#include "kernel/mm/page_alloc.h"
#include "kernel/proc/process.h"
#include "sim/machine.h"
#include "tests/proc/elf_builder.h"

namespace proc_test {
namespace {

constexpr int kRw = PROT_READ | PROT_WRITE;
constexpr int kAnon = MAP_PRIVATE | MAP_ANONYMOUS;

class HooksTest : public testing::Test {
 protected:
  void SetUp() override { free_pages_ = kernel::mm::GetPhysStats().free_pages; }
  void TearDown() override {
    machine_.reset();
    EXPECT_EQ(kernel::mm::GetPhysStats().free_pages, free_pages_) << "pages leaked";
  }
  sim::Machine& m() { return *machine_; }

  template <typename T>
  T Read(sim::Pid pid, uint64_t addr) {
    T v;
    sim::Outcome o = m().Load(pid, addr, sizeof(T));
    EXPECT_TRUE(o.done());
    std::memcpy(&v, o.bytes.data(), sizeof(T));
    return v;
  }
  // A clock in nanoseconds, read by `pid` itself through clock_gettime.
  int64_t ClockNs(sim::Pid pid, clockid_t clock, uint64_t scratch) {
    EXPECT_EQ(m().Syscall(pid, SYS_clock_gettime, clock, scratch).value, 0);
    timespec ts = Read<timespec>(pid, scratch);
    return ts.tv_sec * 1'000'000'000 + ts.tv_nsec;
  }
  int64_t ChildrenRusageNs(sim::Pid pid, uint64_t scratch) {
    EXPECT_EQ(m().Syscall(pid, SYS_getrusage, RUSAGE_CHILDREN, scratch).value, 0);
    rusage ru = Read<rusage>(pid, scratch);
    return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1'000'000'000 +
           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000;
  }
  void Burn(sim::Pid pid, int traps) {
    for (int i = 0; i < traps; ++i) ASSERT_TRUE(m().Syscall(pid, SYS_getpid).done());
  }

  size_t free_pages_ = 0;
  std::unique_ptr<sim::Machine> machine_ = std::make_unique<sim::Machine>();
};

TEST_F(HooksTest, ReapedChildCpuTimeBecomesRusageChildren) {
  sim::Pid init = m().Spawn("init");
  uint64_t a = static_cast<uint64_t>(m().Mmap(init, 4096, kRw, kAnon));
  sim::Pid child = static_cast<sim::Pid>(m().Syscall(init, SYS_fork).value);
  Burn(child, 200);
  int64_t child_cpu = ClockNs(child, CLOCK_PROCESS_CPUTIME_ID, a);
  ASSERT_GT(child_cpu, 100'000) << "each sim trap costs 1 us of user time";
  ASSERT_TRUE(m().Syscall(child, SYS_exit_group, 0).died());
  EXPECT_EQ(ChildrenRusageNs(init, a + 1024), 0) << "not reaped yet";
  // waitid(WNOWAIT) leaves the zombie and accounts nothing.
  EXPECT_EQ(m().Syscall(init, SYS_waitid, P_PID, child, a + 512, WEXITED | WNOWAIT, 0).value, 0);
  EXPECT_EQ(ChildrenRusageNs(init, a + 1024), 0);
  EXPECT_EQ(m().Syscall(init, SYS_wait4, child, 0, 0, 0).value, child);
  // rusage has microseconds: allow the truncation of each of the two fields.
  EXPECT_GE(ChildrenRusageNs(init, a + 1024), child_cpu - 2000);
  // times() reports the same in clock ticks (100 Hz).
  ASSERT_GE(m().Syscall(init, SYS_times, a + 2048).value, 0);
  struct {
    int64_t utime, stime, cutime, cstime;
  } tms = Read<decltype(tms)>(init, a + 2048);
  EXPECT_EQ(tms.cutime + tms.cstime, (child_cpu + 5'000'000) / 10'000'000);
}

TEST_F(HooksTest, GrandchildrenReapedByTheChildCountToo) {
  sim::Pid init = m().Spawn("init");
  uint64_t a = static_cast<uint64_t>(m().Mmap(init, 4096, kRw, kAnon));
  sim::Pid child = static_cast<sim::Pid>(m().Syscall(init, SYS_fork).value);
  sim::Pid grandchild = static_cast<sim::Pid>(m().Syscall(child, SYS_fork).value);
  Burn(grandchild, 300);
  int64_t gc_cpu = ClockNs(grandchild, CLOCK_PROCESS_CPUTIME_ID, a);
  m().Syscall(grandchild, SYS_exit_group, 0);
  EXPECT_EQ(m().Syscall(child, SYS_wait4, grandchild, 0, 0, 0).value, grandchild);
  int64_t child_cpu = ClockNs(child, CLOCK_PROCESS_CPUTIME_ID, a);
  m().Syscall(child, SYS_exit_group, 0);
  EXPECT_EQ(m().Syscall(init, SYS_wait4, child, 0, 0, 0).value, child);
  EXPECT_LT(child_cpu, gc_cpu / 2) << "a blocked parent's CPU clock does not run";
  EXPECT_GE(ChildrenRusageNs(init, a + 1024), gc_cpu + child_cpu - 2000);
}

TEST_F(HooksTest, AnExitedThreadsCpuTimeStaysWithItsProcess) {
  sim::Pid init = m().Spawn("init");
  uint64_t a = static_cast<uint64_t>(m().Mmap(init, 8192, kRw, kAnon));
  sim::Pid thread = static_cast<sim::Pid>(
      m().Syscall(init, SYS_clone, CLONE_VM | CLONE_SIGHAND | CLONE_THREAD, a + 8192).value);
  ASSERT_GT(thread, 0);
  Burn(thread, 300);
  int64_t thread_cpu = ClockNs(thread, CLOCK_THREAD_CPUTIME_ID, a);
  ASSERT_GT(thread_cpu, 200'000);
  int64_t before = ClockNs(init, CLOCK_PROCESS_CPUTIME_ID, a);
  EXPECT_GE(before, thread_cpu);
  ASSERT_TRUE(m().Syscall(thread, SYS_exit, 0).died());
  m().RunUntilIdle();
  ASSERT_FALSE(m().Alive(thread));
  EXPECT_GE(ClockNs(init, CLOCK_PROCESS_CPUTIME_ID, a), before)
      << "the process's CPU clock went back when a thread exited";
  EXPECT_EQ(m().Syscall(init, SYS_getrusage, RUSAGE_SELF, a + 1024).value, 0);
  rusage ru = Read<rusage>(init, a + 1024);
  EXPECT_GE((ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1'000'000 + ru.ru_utime.tv_usec +
                ru.ru_stime.tv_usec,
            thread_cpu / 1000 - 2);
}

TEST_F(HooksTest, ExitReleasesEveryTimerOfTheProcess) {
  sim::Pid init = m().Spawn("init");
  uint64_t a = static_cast<uint64_t>(m().Mmap(init, 4096, kRw, kAnon));
  sim::Pid child = static_cast<sim::Pid>(m().Syscall(init, SYS_fork).value);
  itimerval it = {{0, 0}, {10, 0}};
  ASSERT_TRUE(m().Store(child, a, &it, sizeof(it)).done());
  ASSERT_EQ(m().Syscall(child, SYS_setitimer, ITIMER_REAL, a, 0).value, 0);
  ASSERT_EQ(m().Syscall(child, SYS_timer_create, CLOCK_MONOTONIC, 0, a + 256).value, 0);
  int32_t id = Read<int32_t>(child, a + 256);
  itimerspec its = {{1, 0}, {5, 0}};
  ASSERT_TRUE(m().Store(child, a + 512, &its, sizeof(its)).done());
  ASSERT_EQ(m().Syscall(child, SYS_timer_settime, id, 0, a + 512, 0).value, 0);
  kernel::proc::Process* p = m().ProcessOf(child);
  ASSERT_TRUE(p->timers().real.armed());
  ASSERT_EQ(m().Syscall(child, SYS_exit_group, 3).died(), true);
  // The zombie keeps its Process until it is reaped; none of its timers may fire meanwhile.
  ASSERT_EQ(m().ProcessOf(child), p);
  EXPECT_FALSE(p->timers().real.armed());
  for (auto* t : p->timers().posix) EXPECT_EQ(t, nullptr);
  // Let well past both expiries pass, then reap: the status is the exit, not SIGALRM.
  timespec ts = {30, 0};
  ASSERT_TRUE(m().Store(init, a + 1024, &ts, sizeof(ts)).done());
  EXPECT_EQ(m().Syscall(init, SYS_nanosleep, a + 1024, 0).value, 0);
  EXPECT_EQ(m().Syscall(init, SYS_wait4, child, a + 2048, 0, 0).value, child);
  int status = Read<int>(init, a + 2048);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3);
}

TEST_F(HooksTest, ExecveDeletesPosixTimersAndKeepsTheItimers) {
  m().files().Add("/bin/prog", BuildElf(ElfSpec{}).bytes);
  sim::Pid init = m().Spawn("init");
  uint64_t a = static_cast<uint64_t>(m().Mmap(init, 4096, kRw, kAnon));
  itimerval it = {{0, 0}, {100, 0}};
  ASSERT_TRUE(m().Store(init, a, &it, sizeof(it)).done());
  ASSERT_EQ(m().Syscall(init, SYS_setitimer, ITIMER_REAL, a, 0).value, 0);
  ASSERT_EQ(m().Syscall(init, SYS_timer_create, CLOCK_MONOTONIC, 0, a + 256).value, 0);
  int32_t id = Read<int32_t>(init, a + 256);
  ASSERT_EQ(m().Execve(init, "/bin/prog", {"prog"}).value, 0);
  uint64_t b = static_cast<uint64_t>(m().Mmap(init, 4096, kRw, kAnon));
  EXPECT_EQ(m().Syscall(init, SYS_timer_gettime, id, b).value, -EINVAL) << "deleted at execve";
  ASSERT_EQ(m().Syscall(init, SYS_getitimer, ITIMER_REAL, b).value, 0);
  itimerval left = Read<itimerval>(init, b);
  EXPECT_GT(left.it_value.tv_sec, 90) << "ITIMER_REAL survives execve";
  // A failed execve deletes nothing.
  ASSERT_EQ(m().Syscall(init, SYS_timer_create, CLOCK_MONOTONIC, 0, b + 256).value, 0);
  id = Read<int32_t>(init, b + 256);
  EXPECT_EQ(m().Execve(init, "/bin/missing", {"x"}).value, -ENOENT);
  EXPECT_EQ(m().Syscall(init, SYS_timer_gettime, id, b + 512).value, 0);
}

TEST_F(HooksTest, RlimitCoreDecidesTheCoreDumpFlag) {
  sim::Pid init = m().Spawn("init");
  uint64_t a = static_cast<uint64_t>(m().Mmap(init, 4096, kRw, kAnon));
  sim::Pid with_core = static_cast<sim::Pid>(m().Syscall(init, SYS_fork).value);
  sim::Pid without = static_cast<sim::Pid>(m().Syscall(init, SYS_fork).value);
  rlimit unlimited = {RLIM_INFINITY, RLIM_INFINITY};
  ASSERT_TRUE(m().Store(with_core, a, &unlimited, sizeof(unlimited)).done());
  ASSERT_EQ(m().Syscall(with_core, SYS_setrlimit, RLIMIT_CORE, a).value, 0);
  EXPECT_EQ(m().ProcessOf(with_core)->signals().core_rlimit, RLIM_INFINITY);
  // A fork child inherits it.
  sim::Pid grandchild = static_cast<sim::Pid>(m().Syscall(with_core, SYS_fork).value);
  EXPECT_EQ(m().ProcessOf(grandchild)->signals().core_rlimit, RLIM_INFINITY);
  m().Syscall(grandchild, SYS_exit_group, 0);
  EXPECT_EQ(m().Syscall(with_core, SYS_wait4, grandchild, 0, 0, 0).value, grandchild);

  EXPECT_TRUE(m().Load(with_core, 0x10, 1).died());
  EXPECT_TRUE(m().Load(without, 0x10, 1).died());
  EXPECT_EQ(m().Syscall(init, SYS_wait4, with_core, a + 64, 0, 0).value, with_core);
  EXPECT_EQ(m().Syscall(init, SYS_wait4, without, a + 128, 0, 0).value, without);
  int s1 = Read<int>(init, a + 64), s2 = Read<int>(init, a + 128);
  EXPECT_TRUE(WIFSIGNALED(s1) && WTERMSIG(s1) == SIGSEGV);
  EXPECT_TRUE(WCOREDUMP(s1)) << "RLIMIT_CORE unlimited: 'core dumped'";
  EXPECT_TRUE(WIFSIGNALED(s2) && WTERMSIG(s2) == SIGSEGV);
  EXPECT_FALSE(WCOREDUMP(s2)) << "RLIMIT_CORE 0 (the default)";
}

TEST_F(HooksTest, PrlimitOnAnotherProcessNeedsItsIds) {
  sim::Pid init = m().Spawn("init");
  uint64_t a = static_cast<uint64_t>(m().Mmap(init, 4096, kRw, kAnon));
  sim::Pid child = static_cast<sim::Pid>(m().Syscall(init, SYS_fork).value);
  rlimit core = {4096, RLIM_INFINITY};
  ASSERT_TRUE(m().Store(init, a, &core, sizeof(core)).done());
  // Root may change anyone's limits; RLIMIT_CORE reaches that process's signal state.
  EXPECT_EQ(m().Syscall(init, SYS_prlimit64, child, RLIMIT_CORE, a, 0).value, 0);
  EXPECT_EQ(m().ProcessOf(child)->signals().core_rlimit, 4096u);
  EXPECT_EQ(m().ProcessOf(init)->signals().core_rlimit, 0u);
  // An unprivileged process may not touch root's.
  ASSERT_EQ(m().Syscall(child, SYS_setuid, 1000).value, 0);
  ASSERT_TRUE(m().Store(child, a, &core, sizeof(core)).done());
  EXPECT_EQ(m().Syscall(child, SYS_prlimit64, init, RLIMIT_CORE, 0, a + 64).value, -EPERM);
  EXPECT_EQ(m().Syscall(child, SYS_prlimit64, 0, RLIMIT_CORE, 0, a + 64).value, 0);
  EXPECT_EQ(m().Syscall(child, SYS_prlimit64, 99999, RLIMIT_CORE, 0, a + 64).value, -ESRCH);
}

// RLIMIT_NOFILE reaches the fd table: every descriptor handed out is below the soft limit
// (EMFILE), F_DUPFD at or past it is EINVAL and dup2 onto it EBADF [fs/file.c], and a fork
// child keeps the limit.
TEST_F(HooksTest, RlimitNofileBoundsTheFdTable) {
  sim::Pid init = m().Spawn("init");
  // A spawned sim task starts without descriptors; give it an empty table.
  m().ProcessOf(init)->leader()->set_fd_table(kernel::fs::FdTable::Create().value());
  uint64_t a = static_cast<uint64_t>(m().Mmap(init, 4096, kRw, kAnon));
  rlimit low = {8, 8};
  ASSERT_TRUE(m().Store(init, a, &low, sizeof(low)).done());
  ASSERT_EQ(m().Syscall(init, SYS_setrlimit, RLIMIT_NOFILE, a).value, 0);
  ASSERT_EQ(m().Syscall(init, SYS_pipe2, a + 64, 0).value, 0);
  int64_t last = -1;
  for (int i = 0; i < 20; ++i) {
    int64_t fd = m().Syscall(init, SYS_dup, Read<int32_t>(init, a + 64)).value;
    if (fd < 0) {
      EXPECT_EQ(fd, -EMFILE);
      break;
    }
    last = fd;
  }
  EXPECT_EQ(last, 7);
  int fd0 = Read<int32_t>(init, a + 64);
  EXPECT_EQ(m().Syscall(init, SYS_fcntl, fd0, F_DUPFD, 8).value, -EINVAL);
  EXPECT_EQ(m().Syscall(init, SYS_dup2, fd0, 8).value, -EBADF);
  EXPECT_EQ(m().Syscall(init, SYS_dup2, fd0, 7).value, 7);
  EXPECT_EQ(m().Syscall(init, SYS_pipe2, a + 72, 0).value, -EMFILE);
  sim::Pid child = static_cast<sim::Pid>(m().Syscall(init, SYS_fork).value);
  EXPECT_EQ(m().Syscall(child, SYS_dup, fd0).value, -EMFILE) << "the child keeps the limit";
  rlimit higher = {16, 16};
  ASSERT_TRUE(m().Store(init, a, &higher, sizeof(higher)).done());
  // Root raises another process's limit (prlimit64 with a pid).
  ASSERT_EQ(m().Syscall(init, SYS_prlimit64, child, RLIMIT_NOFILE, a, 0).value, 0);
  EXPECT_EQ(m().Syscall(child, SYS_dup, fd0).value, 8);
  EXPECT_EQ(m().Syscall(init, SYS_dup, fd0).value, -EMFILE) << "the parent's limit is its own";
}

TEST_F(HooksTest, ForkJoinsTheParentsGroupAndReapingLeavesIt) {
  sim::Pid init = m().Spawn("init");
  // Not init itself: wait4(-1) would mean "any child".
  sim::Pid parent = static_cast<sim::Pid>(m().Syscall(init, SYS_fork).value);
  ASSERT_EQ(m().Syscall(parent, SYS_setsid).value, parent);
  sim::Pid child = static_cast<sim::Pid>(m().Syscall(parent, SYS_fork).value);
  EXPECT_EQ(m().Syscall(child, SYS_getpgid, 0).value, parent);
  EXPECT_EQ(m().Syscall(child, SYS_getsid, 0).value, parent);
  ASSERT_EQ(m().Syscall(child, SYS_setpgid, 0, 0).value, 0);
  EXPECT_EQ(m().Syscall(parent, SYS_getpgid, child).value, child);
  // wait4(-pgid) selects by the child's current group.
  const int64_t parent_group = -static_cast<int64_t>(parent);
  const int64_t child_group = -static_cast<int64_t>(child);
  EXPECT_EQ(m().Syscall(parent, SYS_wait4, parent_group, 0, WNOHANG, 0).value, -ECHILD);
  EXPECT_EQ(m().Syscall(parent, SYS_wait4, child_group, 0, WNOHANG, 0).value, 0);
  m().Syscall(child, SYS_exit_group, 0);
  // A zombie is still a member of its group; once reaped, the group is gone.
  EXPECT_EQ(m().Syscall(parent, SYS_kill, child_group, 0).value, 0);
  EXPECT_EQ(m().Syscall(parent, SYS_wait4, child_group, 0, 0, 0).value, child);
  EXPECT_EQ(m().Syscall(parent, SYS_kill, child_group, 0).value, -ESRCH);
}

TEST_F(HooksTest, ALeaderExitOrphansItsStoppedGroupWhichGetsSighup) {
  sim::Pid init = m().Spawn("init");
  ASSERT_GT(m().Syscall(init, SYS_setsid).value, 0);
  sim::Pid leader = static_cast<sim::Pid>(m().Syscall(init, SYS_fork).value);
  ASSERT_EQ(m().Syscall(leader, SYS_setsid).value, leader);
  sim::Pid member = static_cast<sim::Pid>(m().Syscall(leader, SYS_fork).value);
  EXPECT_EQ(m().Syscall(member, SYS_getpgid, 0).value, leader);
  // The member stops itself; its parent sees the stop.
  m().Syscall(member, SYS_kill, member, SIGSTOP);
  m().RunUntilIdle();
  EXPECT_EQ(m().Syscall(leader, SYS_wait4, member, 0, WUNTRACED | WNOHANG, 0).value, member);
  // The leader exits: the member goes to init (another session), so its group is orphaned
  // with a stopped member, and gets SIGHUP then SIGCONT [POSIX exit(), Linux
  // kill_orphaned_pgrp]; SIGHUP's default action ends it.
  ASSERT_TRUE(m().Syscall(leader, SYS_exit_group, 0).died());
  m().RunUntilIdle();
  uint64_t a = static_cast<uint64_t>(m().Mmap(init, 4096, kRw, kAnon));
  EXPECT_EQ(m().Syscall(init, SYS_wait4, leader, 0, 0, 0).value, leader);
  EXPECT_EQ(m().Syscall(init, SYS_wait4, member, a, 0, 0).value, member) << "reparented to init";
  int status = Read<int>(init, a);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGHUP) << std::hex << status;
}

}  // namespace
}  // namespace proc_test
