#include "kernel/syscalls/cred.h"

#include <gtest/gtest.h>

namespace kernel::syscalls {
namespace {

class CredTest : public testing::Test {
 protected:
  void SetUp() override { task_ = Task::AdoptCurrentContext("cred").value(); }
  void TearDown() override { Task::Destroy(task_); }
  proc::Credentials& c() { return task_->credentials(); }
  void Set(u32 r, u32 e, u32 s) {
    c().uid = r;
    c().euid = e;
    c().suid = s;
    c().fsuid = e;
  }
  Task* task_ = nullptr;
};

constexpr u32 kKeep = ~0u;

TEST_F(CredTest, RootSetuidDropsEverything) {
  ASSERT_TRUE(sys_setuid(*task_, 1000).ok());
  EXPECT_EQ(c().uid, 1000u);
  EXPECT_EQ(c().euid, 1000u);
  EXPECT_EQ(c().suid, 1000u);
  EXPECT_EQ(c().fsuid, 1000u);
  EXPECT_EQ(sys_setuid(*task_, 0).error(), Errno::kEPERM) << "no way back";
  EXPECT_EQ(sys_setuid(*task_, kKeep).error(), Errno::kEINVAL);
}

TEST_F(CredTest, SetuidProgramCanSwitchBetweenRealAndSaved) {
  Set(1000, 0, 0);  // a set-uid-root program run by uid 1000
  ASSERT_TRUE(sys_setresuid(*task_, kKeep, 1000, kKeep).ok());
  EXPECT_EQ(c().euid, 1000u);
  EXPECT_EQ(c().suid, 0u);
  ASSERT_TRUE(sys_setresuid(*task_, kKeep, 0, kKeep).ok()) << "back through the saved id";
  EXPECT_EQ(c().euid, 0u);
  Set(1000, 1000, 0);
  ASSERT_TRUE(sys_setuid(*task_, 0).ok()) << "unprivileged setuid to the saved id";
  EXPECT_EQ(c().euid, 0u);
  EXPECT_EQ(c().uid, 1000u);
}

TEST_F(CredTest, UnprivilegedSetresuidOnlyPermutes) {
  Set(1000, 1001, 1002);
  EXPECT_EQ(sys_setresuid(*task_, 5, kKeep, kKeep).error(), Errno::kEPERM);
  ASSERT_TRUE(sys_setresuid(*task_, 1002, 1000, 1001).ok());
  EXPECT_EQ(c().uid, 1002u);
  EXPECT_EQ(c().euid, 1000u);
  EXPECT_EQ(c().suid, 1001u);
  EXPECT_EQ(c().fsuid, 1000u);
}

TEST_F(CredTest, SetreuidUpdatesSavedIdLikeLinux) {
  Set(1000, 0, 0);
  ASSERT_TRUE(sys_setreuid(*task_, kKeep, 1000).ok());
  EXPECT_EQ(c().suid, 0u) << "euid set to the old real id: saved id kept";
  Set(1000, 0, 0);
  ASSERT_TRUE(sys_setreuid(*task_, 0, 1000).ok());
  EXPECT_EQ(c().uid, 0u);
  EXPECT_EQ(c().euid, 1000u);
  EXPECT_EQ(c().suid, 1000u) << "the real id was set: saved follows the effective id";
  Set(1000, 1001, 1002);
  EXPECT_EQ(sys_setreuid(*task_, 1002, kKeep).error(), Errno::kEPERM)
      << "the real id may not become the saved one";
}

TEST_F(CredTest, SetfsuidReturnsOldValueAlways) {
  Set(1000, 1000, 1000);
  EXPECT_EQ(sys_setfsuid(*task_, 0).value(), 1000u);
  EXPECT_EQ(c().fsuid, 1000u) << "not allowed: unchanged";
  EXPECT_EQ(sys_setfsuid(*task_, kKeep).value(), 1000u);
  Set(0, 0, 0);
  EXPECT_EQ(sys_setfsuid(*task_, 42).value(), 0u);
  EXPECT_EQ(c().fsuid, 42u);
}

TEST_F(CredTest, GroupsNeedPrivilegeAndSizeZeroCounts) {
  c().group_count = 2;
  c().groups[0] = 10;
  c().groups[1] = 20;
  EXPECT_EQ(sys_getgroups(*task_, 0, UserOut<u32>(0)).value(), 2);
  EXPECT_EQ(sys_getgroups(*task_, 1, UserOut<u32>(0)).error(), Errno::kEINVAL);
  EXPECT_EQ(sys_getgroups(*task_, -1, UserOut<u32>(0)).error(), Errno::kEINVAL);
  EXPECT_EQ(sys_setgroups(*task_, -1, UserIn<u32>(0)).error(), Errno::kEINVAL);
  ASSERT_TRUE(sys_setgroups(*task_, 0, UserIn<u32>(0)).ok());
  EXPECT_EQ(c().group_count, 0u);
  Set(1000, 1000, 1000);
  EXPECT_EQ(sys_setgroups(*task_, 0, UserIn<u32>(0)).error(), Errno::kEPERM);
}

TEST_F(CredTest, ExecOfSetuidFileMakesSavedIdFollow) {
  Set(1000, 1000, 1000);
  c().gid = c().egid = c().sgid = c().fsgid = 100;
  EXPECT_TRUE(ApplyExecCredentials(*task_, true, 0, false, 0));
  EXPECT_EQ(c().euid, 0u);
  EXPECT_EQ(c().suid, 0u);
  EXPECT_EQ(c().fsuid, 0u);
  EXPECT_EQ(c().uid, 1000u);
  EXPECT_EQ(c().egid, 100u);
  Set(1000, 0, 0);
  EXPECT_TRUE(ApplyExecCredentials(*task_, false, 0, false, 0)) << "still euid != uid";
  EXPECT_EQ(c().suid, 0u);
  Set(1000, 1000, 0);
  EXPECT_FALSE(ApplyExecCredentials(*task_, false, 0, false, 0));
  EXPECT_EQ(c().suid, 1000u) << "saved id is reset to the effective id at every exec";
}

}  // namespace
}  // namespace kernel::syscalls
