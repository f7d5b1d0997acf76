// procfs on hostsim: a process made here, its directory and files, self, fd links, the
// system files and /proc/sys writes.
#include "kernel/fs/procfs/procfs.h"

#include <algorithm>

#include "kernel/fs/namei.h"
#include "kernel/proc/pid_table.h"
#include "kernel/proc/process.h"
#include "kernel/syscalls/system.h"
#include "tests/support/fs_test_support.h"

namespace kernel::fs {
namespace {

using testing::FsTest;

class ProcfsTest : public FsTest {
 protected:
  void SetUp() override {
    // The pid table keeps its storage once it has some: warm it up outside the leak check.
    proc::Task* warm = proc::Task::Create(
                           "warm", [](void*) {}, nullptr)
                           .value();
    (void)proc::AllocatePid(*warm);
    proc::ReleasePid(warm->tid());
    proc::Task::Destroy(warm);
    FsTest::SetUp();
    ASSERT_TRUE(MakeDirectory(actor_, kAtFdCwd, "/proc", 0555).ok());
    ASSERT_TRUE(MountFileSystem(actor_, procfs::kProcType, "proc", "/proc",
                                ms::kNoSuid | ms::kNoDev | ms::kNoExec, "")
                    .ok());
    // A process of our own, sharing the test's files and fs context.
    ptask_ = proc::Task::Create(
                 "sleeper", [](void*) {}, nullptr)
                 .value();
    ptask_->SetName("sleeper");
    ptask_->set_fs_context(ctx_);
    ptask_->set_fd_table(fds_);
    process_ = proc::Process::Create(*ptask_, nullptr).value();
    as_process_ = actor_;
    as_process_.task = ptask_;
    pid_ = std::to_string(process_->pid());
  }
  void TearDown() override {
    ptask_->set_fs_context(nullptr);
    ptask_->set_fd_table(nullptr);
    proc::Process::Destroy(process_);
    dcache::Shrink();
    ASSERT_TRUE(UnmountByPath(actor_, "/proc", 0).ok());
    FsTest::TearDown();
  }
  std::string ReadAs(const Actor& a, const std::string& path) {
    Result<lib::RefPtr<File>> f =
        Open(a, kAtFdCwd, lib::string_view(path.data(), path.size()), o::kRdOnly, 0);
    if (f.is_error()) return "<errno " + std::to_string(ToInt(f.error())) + ">";
    std::string all;
    for (;;) {
      std::string chunk = Read(*f.value()).value();
      if (chunk.empty()) return all;
      all += chunk;
    }
  }
  std::string Link(const Actor& a, const std::string& path) {
    char buf[256];
    Result<usize> n =
        ReadLink(a, kAtFdCwd, lib::string_view(path.data(), path.size()), buf, sizeof(buf));
    if (n.is_error()) return "<errno " + std::to_string(ToInt(n.error())) + ">";
    return std::string(buf, n.value());
  }
  static std::vector<std::string> Split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
      if (c == sep) {
        out.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
  }

  proc::Task* ptask_ = nullptr;
  proc::Process* process_ = nullptr;
  Actor as_process_;
  std::string pid_;
};

TEST_F(ProcfsTest, ListsProcessesAndTheFixedEntries) {
  std::vector<std::string> names = List("/proc");
  for (const char* want : {"self", "thread-self", "meminfo", "cpuinfo", "stat", "uptime", "loadavg",
                           "version", "filesystems", "mounts", "sys"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), want), names.end()) << want;
  }
  EXPECT_NE(std::find(names.begin(), names.end(), pid_), names.end());
  std::vector<std::string> entries = List("/proc/" + pid_);
  for (const char* want :
       {"stat", "statm", "status", "cmdline", "environ", "comm", "exe", "cwd", "root", "fd",
        "fdinfo", "maps", "smaps_rollup", "mounts", "mountinfo", "task"}) {
    EXPECT_NE(std::find(entries.begin(), entries.end(), want), entries.end()) << want;
  }
  EXPECT_EQ(LookupErr("/proc/999999"), Errno::kENOENT);
  EXPECT_EQ(LookupErr("/proc/abc"), Errno::kENOENT);
  std::vector<std::string> tasks = List("/proc/" + pid_ + "/task");
  EXPECT_NE(std::find(tasks.begin(), tasks.end(), pid_), tasks.end());
  EXPECT_EQ(ReadFile("/proc/" + pid_ + "/task/" + pid_ + "/comm").value(), "sleeper\n");
  // Links: 2 + one per subdirectory (task, fd, fdinfo; a thread's has no task).
  EXPECT_EQ(Lookup("/proc/" + pid_).value().inode()->nlink(), 5u);
  EXPECT_EQ(Lookup("/proc/" + pid_ + "/task/" + pid_).value().inode()->nlink(), 4u);
}

TEST_F(ProcfsTest, SelfFollowsTheCaller) {
  EXPECT_EQ(Link(as_process_, "/proc/self"), pid_);
  EXPECT_EQ(Link(as_process_, "/proc/thread-self"), pid_ + "/task/" + pid_);
  EXPECT_EQ(ReadAs(as_process_, "/proc/self/comm"), "sleeper\n");
  // A caller that is no process has no self.
  EXPECT_EQ(Link(actor_, "/proc/self"), "<errno 2>");
}

TEST_F(ProcfsTest, StatAndStatusFormats) {
  std::string stat = ReadFile("/proc/" + pid_ + "/stat").value();
  ASSERT_FALSE(stat.empty());
  EXPECT_EQ(stat.back(), '\n');
  std::vector<std::string> f = Split(stat.substr(0, stat.size() - 1), ' ');
  ASSERT_EQ(f.size(), 52u) << stat;
  EXPECT_EQ(f[0], pid_);
  EXPECT_EQ(f[1], "(sleeper)");
  EXPECT_EQ(f[2], "S") << "a task that is not running sleeps";
  EXPECT_EQ(f[17], "20") << "priority";
  EXPECT_EQ(f[19], "1") << "num_threads";
  std::string status = ReadFile("/proc/" + pid_ + "/status").value();
  EXPECT_EQ(status.find("Name:\tsleeper\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t" + pid_ +
                        "\nNgid:\t0\nPid:\t" + pid_ + "\nPPid:\t0\nTracerPid:\t0\n"),
            0u)
      << status;
  EXPECT_NE(status.find("Uid:\t0\t0\t0\t0\n"), std::string::npos);
  EXPECT_NE(status.find("Groups:\t \n"), std::string::npos) << "Linux's trailing space";
  EXPECT_NE(status.find("SigBlk:\t0000000000000000\n"), std::string::npos);
  EXPECT_NE(status.find("CapEff:\t000001ffffffffff\n"), std::string::npos);
  EXPECT_EQ(ReadFile("/proc/" + pid_ + "/statm").value(), "0 0 0 0 0 0 0\n") << "no memory";
  EXPECT_EQ(ReadFile("/proc/" + pid_ + "/cmdline").value(), "") << "no address space";
  EXPECT_EQ(ReadFile("/proc/" + pid_ + "/maps").value(), "");
}

TEST_F(ProcfsTest, FdLinksAndFdinfo) {
  ASSERT_TRUE(WriteFile("/file", "data").ok());
  lib::RefPtr<File> f = OpenPath("/file", o::kRdOnly).value();
  int fd = fds_->Install(f, kFdCloexec).value();
  std::string dir = "/proc/" + pid_ + "/fd/";
  std::string name = std::to_string(fd);
  EXPECT_EQ(Link(actor_, dir + name), "/file");
  EXPECT_EQ(ReadFile(dir + name).value(), "data") << "the magic link reaches the file";
  EXPECT_EQ(Lookup(dir + name, false).value().inode()->mode(), mode::kSymlink | 0500)
      << "read-only: lr-x------";
  std::vector<std::string> fds = List(dir);
  EXPECT_NE(std::find(fds.begin(), fds.end(), name), fds.end());
  std::string info = ReadFile("/proc/" + pid_ + "/fdinfo/" + name).value();
  EXPECT_EQ(info.find("pos:\t0\nflags:\t02000000\nmnt_id:\t"), 0u) << info;
  ASSERT_TRUE(fds_->Remove(fd).ok());
  EXPECT_EQ(LookupErr(dir + name), Errno::kENOENT) << "closed descriptors disappear";
  // cwd and root jump to the process's places.
  EXPECT_EQ(Link(actor_, "/proc/" + pid_ + "/cwd"), "/");
  EXPECT_EQ(Link(actor_, "/proc/" + pid_ + "/root"), "/");
}

TEST_F(ProcfsTest, MountsAndMountinfo) {
  std::string mounts = ReadFile("/proc/" + pid_ + "/mounts").value();
  EXPECT_NE(mounts.find("proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n"), std::string::npos)
      << mounts;
  EXPECT_EQ(ReadAs(as_process_, "/proc/mounts"), mounts) << "/proc/mounts is self/mounts";
  std::string info = ReadFile("/proc/" + pid_ + "/mountinfo").value();
  EXPECT_NE(info.find(" / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw\n"),
            std::string::npos)
      << info;
}

TEST_F(ProcfsTest, SystemFiles) {
  std::string meminfo = ReadFile("/proc/meminfo").value();
  EXPECT_EQ(meminfo.find("MemTotal:       "), 0u);
  EXPECT_NE(meminfo.find(" kB\nMemFree:"), std::string::npos);
  std::string uptime = ReadFile("/proc/uptime").value();
  EXPECT_EQ(std::count(uptime.begin(), uptime.end(), '.'), 2) << uptime;
  EXPECT_EQ(ReadFile("/proc/loadavg").value().find("0.00 0.00 0.00 "), 0u);
  EXPECT_EQ(ReadFile("/proc/version").value().find("Linux version 6."), 0u);
  std::string fss = ReadFile("/proc/filesystems").value();
  EXPECT_NE(fss.find("nodev\ttmpfs\n"), std::string::npos);
  EXPECT_NE(fss.find("nodev\tproc\n"), std::string::npos);
  EXPECT_EQ(ReadFile("/proc/stat").value().find("cpu  "), 0u);
  EXPECT_EQ(ReadFile("/proc/cpuinfo").value().find("processor\t: 0\n"), 0u);
  EXPECT_EQ(ReadFile("/proc/sys/kernel/ostype").value(), "Linux\n");
  EXPECT_EQ(ReadFile("/proc/sys/kernel/pid_max").value(), "32768\n");
  EXPECT_EQ(ReadFile("/proc/sys/vm/overcommit_memory").value(), "0\n");
}

TEST_F(ProcfsTest, SysctlWrites) {
  std::string old = ReadFile("/proc/sys/kernel/hostname").value();
  ASSERT_TRUE(WriteFile("/proc/sys/kernel/hostname", "aramid-test\n").ok());
  EXPECT_EQ(ReadFile("/proc/sys/kernel/hostname").value(), "aramid-test\n");
  EXPECT_EQ(std::string(syscalls::HostName().data(), syscalls::HostName().size()), "aramid-test");
  EXPECT_EQ(WriteFile("/proc/sys/kernel/hostname", std::string(80, 'x')).error(), Errno::kEINVAL);
  ASSERT_TRUE(WriteFile("/proc/sys/kernel/hostname", old).ok());
  ASSERT_TRUE(WriteFile("/proc/sys/vm/overcommit_memory", "2\n").ok());
  EXPECT_EQ(procfs::OvercommitPolicy(), 2);
  EXPECT_EQ(WriteFile("/proc/sys/vm/overcommit_memory", "7\n").error(), Errno::kEINVAL);
  ASSERT_TRUE(WriteFile("/proc/sys/vm/overcommit_memory", "0").ok());
  EXPECT_EQ(OpenErr("/proc/sys/kernel/osrelease", o::kWrOnly), Errno{})
      << "root may open it; the write itself is refused";
  EXPECT_EQ(WriteFile("/proc/sys/kernel/osrelease", "x").error(), Errno::kEINVAL);
  EXPECT_EQ(OpenErr("/proc/newfile", o::kWrOnly | o::kCreat), Errno::kEACCES);
}

TEST_F(ProcfsTest, ProcessDirectoryGoesStaleWhenTheProcessGoes) {
  std::string dir = "/proc/" + pid_;
  ASSERT_TRUE(Lookup(dir).ok());
  ptask_->set_fs_context(nullptr);
  ptask_->set_fd_table(nullptr);
  proc::Process::Destroy(process_);
  EXPECT_EQ(LookupErr(dir), Errno::kENOENT);
  // Put a process back for TearDown.
  ptask_ = proc::Task::Create(
               "sleeper", [](void*) {}, nullptr)
               .value();
  process_ = proc::Process::Create(*ptask_, nullptr).value();
}

}  // namespace
}  // namespace kernel::fs
