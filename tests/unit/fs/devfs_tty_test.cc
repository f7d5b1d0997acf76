// The terminal device nodes over kernel/tty: /dev/ptmx and devpts, /dev/tty, /dev/console and
// ttyS0, controlling terminals acquired on open, readiness for poll.
#include <algorithm>
#include <optional>

#include "kernel/fs/devfs/devfs.h"
#include "kernel/fs/devices.h"
#include "kernel/fs/devpts/devpts.h"
#include "kernel/fs/namei.h"
#include "kernel/proc/pid_table.h"
#include "kernel/proc/process.h"
#include "kernel/tty/pty.h"
#include "kernel/tty/session.h"
#include "kernel/tty/termios.h"
#include "tests/support/fs_test_support.h"
#include "tests/support/user_memory.h"

namespace kernel::fs {
namespace {

using testing::FsTest;

class DevTtyTest : public FsTest {
 protected:
  void SetUp() override {
    // The pid table allocates its storage on first use and keeps it: warm it up before the
    // leak check starts counting.
    proc::Task* warm = proc::Task::Create(
                           "warm", [](void*) {}, nullptr)
                           .value();
    (void)proc::AllocatePid(*warm);
    proc::ReleasePid(warm->tid());
    proc::Task::Destroy(warm);
    FsTest::SetUp();
    ASSERT_TRUE(MakeDirectory(actor_, kAtFdCwd, "/dev", 0755).ok());
    ASSERT_TRUE(devfs::Populate(Lookup("/dev").value()).ok());
    ASSERT_TRUE(MountFileSystem(actor_, devpts::kDevptsType, "devpts", "/dev/pts", 0,
                                "gid=5,mode=620,ptmxmode=000")
                    .ok());
    mem_.emplace();
  }
  void TearDown() override {
    mem_.reset();
    ASSERT_TRUE(UnmountByPath(actor_, "/dev/pts", 0).ok());
    FsTest::TearDown();
  }
  i64 Ioctl(File& f, u32 cmd, u64 arg) {
    Result<i64> r = f.Ioctl(*task_, cmd, arg);
    return r.ok() ? r.value() : -static_cast<i64>(ToInt(r.error()));
  }
  // Opens /dev/ptmx, unlocks the slave and returns the master and the pair's number.
  lib::RefPtr<File> OpenMaster(u32* index) {
    lib::RefPtr<File> m = OpenPath("/dev/ptmx", o::kRdWr | o::kNoCtty).value();
    u64 n = mem_->Alloc(4);
    EXPECT_EQ(Ioctl(*m, tty::kTiocGptn, n), 0);
    *index = mem_->Get<u32>(n);
    EXPECT_EQ(Ioctl(*m, tty::kTiocSptlck, mem_->PutValue<i32>(0)), 0);
    return m;
  }
  std::optional<kernel::testing::UserMemory> mem_;
};

TEST_F(DevTtyTest, PtmxMakesASlaveThatAppearsAndDisappearsInDevpts) {
  lib::RefPtr<File> m = OpenPath("/dev/ptmx", o::kRdWr | o::kNoCtty).value();
  u64 n = mem_->Alloc(4);
  ASSERT_EQ(Ioctl(*m, tty::kTiocGptn, n), 0);
  u32 index = mem_->Get<u32>(n);
  std::string name = "/dev/pts/" + std::to_string(index);
  std::vector<std::string> listing = List("/dev/pts");
  EXPECT_NE(std::find(listing.begin(), listing.end(), std::to_string(index)), listing.end());
  EXPECT_NE(std::find(listing.begin(), listing.end(), "ptmx"), listing.end());
  // Locked until unlockpt: EIO, as Linux answers.
  EXPECT_EQ(OpenErr(name, o::kRdWr | o::kNoCtty), Errno::kEIO);
  ASSERT_EQ(Ioctl(*m, tty::kTiocSptlck, mem_->PutValue<i32>(0)), 0);
  Path p = Lookup(name).value();
  EXPECT_EQ(p.inode()->rdev(), MakeDev(devno::kPtsMajor, index));
  EXPECT_EQ(p.inode()->mode(), mode::kChar | 0620);
  EXPECT_EQ(p.inode()->gid(), 5u);
  lib::RefPtr<File> s = OpenPath(name, o::kRdWr | o::kNoCtty).value();
  s = nullptr;
  m = nullptr;  // closing the master removes the node
  EXPECT_EQ(LookupErr(name), Errno::kENOENT);
  listing = List("/dev/pts");
  EXPECT_EQ(std::find(listing.begin(), listing.end(), std::to_string(index)), listing.end());
}

TEST_F(DevTtyTest, MasterAndSlaveTalkThroughTheLineDiscipline) {
  u32 index;
  lib::RefPtr<File> m = OpenMaster(&index);
  lib::RefPtr<File> s =
      OpenPath("/dev/pts/" + std::to_string(index), o::kRdWr | o::kNoCtty).value();
  EXPECT_EQ(s->Poll() & ev::kIn, 0u) << "no line yet";
  ASSERT_EQ(Write(*m, "hi\r").value(), 3u);
  EXPECT_NE(s->Poll() & ev::kIn, 0u);
  EXPECT_EQ(Read(*s).value(), "hi\n") << "ICRNL and a canonical line";
  EXPECT_EQ(Read(*m).value(), "hi\r\n") << "the echo, with ONLCR";
  ASSERT_EQ(Write(*s, "out\n").value(), 4u);
  EXPECT_NE(m->Poll() & ev::kIn, 0u);
  EXPECT_EQ(Read(*m).value(), "out\r\n");
  EXPECT_EQ(m->Seek(0, kSeekSet).error(), Errno::kESPIPE);
  // Nonblocking reads of an empty terminal.
  s->SetStatusFlags(o::kNonBlock);
  EXPECT_EQ(Read(*s).error(), Errno::kEAGAIN);
  // TCGETS works on both sides.
  u64 t = mem_->Alloc(sizeof(tty::Termios));
  EXPECT_EQ(Ioctl(*s, tty::kTcGets, t), 0);
  EXPECT_EQ(Ioctl(*m, tty::kTcGets, t), 0);
  // Closing the slave: the master reads EIO (the terminal emulator's "shell is gone").
  s = nullptr;
  m->SetStatusFlags(o::kNonBlock);
  EXPECT_EQ(Read(*m).error(), Errno::kEIO);
  EXPECT_NE(m->Poll() & ev::kIn, 0u);
}

TEST_F(DevTtyTest, ClosingTheMasterHangsUpTheSlave) {
  u32 index;
  lib::RefPtr<File> m = OpenMaster(&index);
  lib::RefPtr<File> s =
      OpenPath("/dev/pts/" + std::to_string(index), o::kRdWr | o::kNoCtty).value();
  m = nullptr;
  EXPECT_NE(s->Poll() & ev::kHup, 0u);
  EXPECT_EQ(Read(*s).value(), "") << "end of file after hang-up";
  EXPECT_EQ(Write(*s, "x").error(), Errno::kEIO);
  EXPECT_EQ(s->Poll(), ev::kReadable | ev::kWritable | ev::kHup | ev::kErr)
      << "a hung-up terminal polls as everything [linux hung_up_tty_poll]";
}

TEST_F(DevTtyTest, NewPtyHasNoSizeAndTheMasterCountsItsOwnInput) {
  u32 index;
  lib::RefPtr<File> m = OpenMaster(&index);
  lib::RefPtr<File> s =
      OpenPath("/dev/pts/" + std::to_string(index), o::kRdWr | o::kNoCtty).value();
  u64 ws = mem_->Alloc(sizeof(tty::Winsize));
  ASSERT_EQ(Ioctl(*s, tty::kTiocGwinsz, ws), 0);
  EXPECT_EQ(mem_->Get<tty::Winsize>(ws).row, 0);
  EXPECT_EQ(mem_->Get<tty::Winsize>(ws).col, 0);
  u64 t = mem_->Alloc(sizeof(tty::Termios));
  ASSERT_EQ(Ioctl(*m, tty::kTcGets, t), 0);
  EXPECT_EQ(mem_->Get<tty::Termios>(t).cflag, tty::kB38400 | tty::kCS8 | tty::kCRead);
  // Five bytes typed and a line end: the slave can read 6, the master holds their echo.
  ASSERT_EQ(Write(*m, "12345\r").value(), 6u);
  EXPECT_EQ(Read(*m).value(), "12345\r\n");
  ASSERT_EQ(Write(*s, "abc").value(), 3u);
  u64 n = mem_->Alloc(4);
  ASSERT_EQ(Ioctl(*m, tty::kFionread, n), 0);
  EXPECT_EQ(mem_->Get<i32>(n), 3) << "the master's own queue, not the slave's";
  ASSERT_EQ(Ioctl(*s, tty::kFionread, n), 0);
  EXPECT_EQ(mem_->Get<i32>(n), 6);
  // TCIFLUSH on the master discards what the slave wrote.
  ASSERT_EQ(Ioctl(*m, tty::kTcFlsh, tty::kTciFlush), 0);
  ASSERT_EQ(Ioctl(*m, tty::kFionread, n), 0);
  EXPECT_EQ(mem_->Get<i32>(n), 0);
  EXPECT_EQ(Ioctl(*m, tty::kTcFlsh, 9), -static_cast<i64>(ToInt(Errno::kEINVAL)));
}

TEST_F(DevTtyTest, ExclusiveModeRefusesReopensWithoutSysAdmin) {
  u32 index;
  lib::RefPtr<File> m = OpenMaster(&index);
  std::string name = "/dev/pts/" + std::to_string(index);
  lib::RefPtr<File> s = OpenPath(name, o::kRdWr | o::kNoCtty).value();
  Actor plain = actor_;
  plain.cred = Credentials{0, 0, {}, 0};  // uid 0 (the slave's owner) without capabilities
  u64 excl = mem_->Alloc(4);
  ASSERT_EQ(Ioctl(*s, tty::kTiocGexcl, excl), 0);
  EXPECT_EQ(mem_->Get<i32>(excl), 0);
  ASSERT_EQ(Ioctl(*s, tty::kTiocExcl, 0), 0);
  ASSERT_EQ(Ioctl(*s, tty::kTiocGexcl, excl), 0);
  EXPECT_EQ(mem_->Get<i32>(excl), 1);
  EXPECT_EQ(Open(plain, kAtFdCwd, name, o::kRdWr | o::kNoCtty, 0).error(), Errno::kEBUSY);
  EXPECT_TRUE(OpenPath(name, o::kRdWr | o::kNoCtty).ok()) << "CAP_SYS_ADMIN may";
  // The master's flag is its own.
  ASSERT_EQ(Ioctl(*m, tty::kTiocGexcl, excl), 0);
  EXPECT_EQ(mem_->Get<i32>(excl), 0);
  // A pty slave stays exclusive after its last close while the master lives.
  s = nullptr;
  EXPECT_EQ(Open(plain, kAtFdCwd, name, o::kRdWr | o::kNoCtty, 0).error(), Errno::kEBUSY);
  s = OpenPath(name, o::kRdWr | o::kNoCtty).value();
  ASSERT_EQ(Ioctl(*s, tty::kTiocNxcl, 0), 0);
  EXPECT_TRUE(Open(plain, kAtFdCwd, name, o::kRdWr | o::kNoCtty, 0).ok());

  // A serial port's exclusive mode ends with its last close (its tty_struct goes).
  lib::RefPtr<File> serial = OpenPath("/dev/ttyS0", o::kRdWr | o::kNoCtty).value();
  ASSERT_EQ(Ioctl(*serial, tty::kTiocExcl, 0), 0);
  EXPECT_EQ(Open(plain, kAtFdCwd, "/dev/console", o::kRdWr | o::kNoCtty, 0).error(), Errno::kEBUSY);
  serial = nullptr;
  EXPECT_TRUE(Open(plain, kAtFdCwd, "/dev/ttyS0", o::kRdWr | o::kNoCtty, 0).ok());
}

TEST_F(DevTtyTest, DevTtyIsTheControllingTerminal) {
  // A session leader that is not the test's own task: a process with a task of its own.
  proc::Task* leader_task = proc::Task::Create(
                                "leader", [](void*) {}, nullptr)
                                .value();
  proc::Process* leader = proc::Process::Create(*leader_task, nullptr).value();
  ASSERT_TRUE(tty::SetSid(*leader).ok());
  Actor as_leader = actor_;
  as_leader.task = leader_task;

  EXPECT_EQ(Open(as_leader, kAtFdCwd, "/dev/tty", o::kRdWr, 0).error(), Errno::kENXIO)
      << "no controlling terminal yet";
  u32 index;
  lib::RefPtr<File> m = OpenMaster(&index);
  std::string name = "/dev/pts/" + std::to_string(index);
  {
    // O_NOCTTY: the terminal is not acquired.
    lib::RefPtr<File> s = Open(as_leader, kAtFdCwd, name, o::kRdWr | o::kNoCtty, 0).value();
    EXPECT_EQ(leader->job().group->session().ctty(), nullptr);
  }
  lib::RefPtr<File> s = Open(as_leader, kAtFdCwd, name, o::kRdWr, 0).value();
  tty::Tty* ctty = leader->job().group->session().ctty();
  EXPECT_EQ(ctty, tty::Pty::Find(index) != nullptr ? &tty::Pty::Find(index)->slave() : nullptr);
  lib::RefPtr<File> t = Open(as_leader, kAtFdCwd, "/dev/tty", o::kRdWr, 0).value();
  ASSERT_EQ(Write(*t, "via tty\n").value(), 8u);
  EXPECT_EQ(Read(*m).value(), "via tty\r\n");
  t = nullptr;
  s = nullptr;
  m = nullptr;
  EXPECT_EQ(leader->job().group->session().ctty(), nullptr) << "the hang-up released it";
  proc::Process::Destroy(leader);
}

TEST_F(DevTtyTest, ConsoleAndSerialAreTheSameTerminal) {
  lib::RefPtr<File> c = OpenPath("/dev/console", o::kRdWr | o::kNoCtty).value();
  lib::RefPtr<File> s = OpenPath("/dev/ttyS0", o::kRdWr | o::kNoCtty).value();
  EXPECT_EQ(c->poll_queue(), s->poll_queue());
  EXPECT_NE(c->Poll() & ev::kOut, 0u);
  u64 t = mem_->Alloc(sizeof(tty::Termios));
  EXPECT_EQ(Ioctl(*c, tty::kTcGets, t), 0);
  EXPECT_EQ(Ioctl(*c, 0x1234, 0), -static_cast<i64>(ToInt(Errno::kENOTTY)));
  // A serial port the machine lacks.
  ASSERT_TRUE(
      MakeNode(actor_, kAtFdCwd, "/dev/ttyS9", mode::kChar | 0600, MakeDev(devno::kTtyMajor, 73))
          .ok());
  EXPECT_EQ(OpenErr("/dev/ttyS9", o::kRdWr), Errno::kENXIO);
}

TEST_F(DevTtyTest, DevfsLinksAndDevptsOptions) {
  char buf[64];
  usize n = ReadLink(actor_, kAtFdCwd, "/dev/fd", buf, sizeof(buf)).value();
  EXPECT_EQ(std::string(buf, n), "/proc/self/fd");
  n = ReadLink(actor_, kAtFdCwd, "/dev/stderr", buf, sizeof(buf)).value();
  EXPECT_EQ(std::string(buf, n), "/proc/self/fd/2");
  EXPECT_EQ(Lookup("/dev/pts/ptmx").value().inode()->mode(), mode::kChar);
  EXPECT_EQ(
      MountFileSystem(actor_, devpts::kDevptsType, "devpts", "/dev/shm", 0, "bogus=1").error(),
      Errno::kEINVAL);
}

}  // namespace
}  // namespace kernel::fs
