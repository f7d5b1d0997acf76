// The TTY core with real tasks and processes on hostsim: ptys end to end, controlling
// terminals, ^C to the foreground group, SIGTTIN for background readers, serial floods.
#include "kernel/tty/tty.h"

#include <gtest/gtest.h>

#include <string>

#include <hal/interrupts.h>

#include "kernel/proc/process.h"
#include "kernel/proc/scheduler.h"
#include "kernel/tty/pty.h"
#include "kernel/tty/serial.h"

namespace kernel::tty {
namespace {

class TtyTest : public testing::Test {
 protected:
  void SetUp() override {
    boot_ = proc::Task::AdoptCurrentContext("tty-test").value();
    proc::sched::Init(*boot_);
    hal::Interrupts::Enable();
    leader_ = proc::Process::Create(*boot_, nullptr).value();
    Catch(*boot_);
    ASSERT_TRUE(SetSid(*leader_).ok());
  }
  void TearDown() override {
    boot_->signals().pending.Clear();
    leader_->signals().shared.Clear();
  }
  // A handler address, so signals stay pending instead of killing the test's "process".
  static void Catch(proc::Task& t) {
    if (!t.signals().handlers) t.signals().handlers = signal::Handlers::Create().value();
    for (int s = 1; s <= signal::kNumSignals; ++s) {
      if (!signal::kUnblockable.Has(s)) {
        t.signals().handlers->Set(s, signal::KSigaction{0x401000, signal::kSaRestorer, 0, 0});
      }
    }
  }
  static std::string MasterReadAll(Pty& p) {
    std::string s;
    u8 buf[256];
    for (;;) {
      auto r = p.MasterRead(buf, sizeof(buf), /*nonblock=*/true);
      if (r.is_error()) return s;
      s.append(reinterpret_cast<char*>(buf), r.value());
    }
  }
  proc::Task* boot_ = nullptr;
  proc::Process* leader_ = nullptr;
};

TEST_F(TtyTest, PtyCarriesInputToSlaveAndOutputToMaster) {
  lib::RefPtr<Pty> pty = Pty::Create().value();
  EXPECT_EQ(pty->SlaveOpened().error(), Errno::kEIO) << "locked until unlockpt";
  pty->set_locked(false);
  ASSERT_TRUE(pty->SlaveOpened().ok());
  ASSERT_TRUE(pty->MasterWrite(reinterpret_cast<const u8*>("ls -l\r"), 6).ok());
  u8 buf[64];
  auto got = pty->slave().Read(*boot_, buf, sizeof(buf), true);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(std::string(reinterpret_cast<char*>(buf), got.value()), "ls -l\n");
  EXPECT_EQ(MasterReadAll(*pty), "ls -l\r\n") << "the echo";
  ASSERT_TRUE(pty->slave().Write(*boot_, reinterpret_cast<const u8*>("out\n"), 4, true).ok());
  EXPECT_EQ(MasterReadAll(*pty), "out\r\n");
  pty->SlaveClosed();
  EXPECT_EQ(pty->MasterRead(buf, 1, true).error(), Errno::kEIO) << "all slaves closed";
  pty->MasterClosed();
  EXPECT_TRUE(pty->slave().hung_up());
}

TEST_F(TtyTest, ControllingTerminalAndInterruptToForegroundGroup) {
  lib::RefPtr<Pty> pty = Pty::Create().value();
  pty->set_locked(false);
  ASSERT_TRUE(pty->SlaveOpened().ok());
  Tty& t = pty->slave();
  EXPECT_EQ(t.Ioctl(*boot_, kTiocSctty, 0).value(), 0);
  EXPECT_EQ(t.session()->sid(), leader_->pid());
  EXPECT_EQ(t.foreground()->pgid(), leader_->pid());
  ASSERT_TRUE(pty->MasterWrite(reinterpret_cast<const u8*>("abc\x03"), 4).ok());
  EXPECT_TRUE(leader_->signals().shared.Has(signal::kSigInt));
  EXPECT_EQ(MasterReadAll(*pty), "^C") << "the unread echo of abc is flushed, as on Linux";
  u8 buf[8];
  EXPECT_EQ(t.Read(*boot_, buf, sizeof(buf), true).error(), Errno::kEAGAIN) << "flushed";
  // TIOCNOTTY from the leader releases the terminal for the session.
  EXPECT_EQ(t.Ioctl(*boot_, kTiocNotty, 0).value(), 0);
  EXPECT_EQ(t.session(), nullptr);
  EXPECT_EQ(t.Ioctl(*boot_, kTiocNotty, 0).error(), Errno::kENOTTY);
  pty->SlaveClosed();
  pty->MasterClosed();
}

// Echoes the master has already been given survive a later ^C or ^\ (Linux flushes only
// the echo buffer and the master's flip buffer, not what the master's reader holds).
TEST_F(TtyTest, InterruptKeepsEchoesTheMasterAlreadyHas) {
  lib::RefPtr<Pty> pty = Pty::Create().value();
  pty->set_locked(false);
  ASSERT_TRUE(pty->SlaveOpened().ok());
  Tty& t = pty->slave();
  ASSERT_EQ(t.Ioctl(*boot_, kTiocSctty, 0).value(), 0);
  ASSERT_TRUE(pty->MasterWrite(reinterpret_cast<const u8*>("ab"), 2).ok());
  ASSERT_TRUE(pty->MasterWrite(reinterpret_cast<const u8*>("\x03"), 1).ok());
  ASSERT_TRUE(pty->MasterWrite(reinterpret_cast<const u8*>("\x1c"), 1).ok());
  EXPECT_TRUE(leader_->signals().shared.Has(signal::kSigInt));
  EXPECT_TRUE(leader_->signals().shared.Has(signal::kSigQuit));
  EXPECT_EQ(MasterReadAll(*pty), "ab^C^\\");
  u8 buf[8];
  EXPECT_EQ(t.Read(*boot_, buf, sizeof(buf), true).error(), Errno::kEAGAIN) << "input flushed";
  // With NOFLSH the echo of the same batch stays too.
  Termios noflsh = t.ldisc().termios();
  noflsh.lflag |= kNoFlsh;
  t.ldisc().SetTermios(noflsh);
  ASSERT_TRUE(pty->MasterWrite(reinterpret_cast<const u8*>("cd\x03"), 3).ok());
  EXPECT_EQ(MasterReadAll(*pty), "cd^C");
  pty->SlaveClosed();
  pty->MasterClosed();
}

TEST_F(TtyTest, PtySlaveStartsWithLinuxDefaults) {
  lib::RefPtr<Pty> pty = Pty::Create().value();
  const Termios& t = pty->slave().ldisc().termios();
  EXPECT_EQ(t.cflag, kB38400 | kCS8 | kCRead) << "0277: no HUPCL on a pty slave";
  EXPECT_EQ(t.iflag, kICrNl | kIXon);
  EXPECT_EQ(t.oflag, kOPost | kONlCr);
  EXPECT_EQ(t.lflag, StandardTermios().lflag);
  pty->MasterClosed();
}

TEST_F(TtyTest, BackgroundReadGetsSigttinAndOrphansGetEio) {
  lib::RefPtr<Pty> pty = Pty::Create().value();
  pty->set_locked(false);
  ASSERT_TRUE(pty->SlaveOpened().ok());
  Tty& t = pty->slave();
  ASSERT_EQ(t.Ioctl(*boot_, kTiocSctty, 0).value(), 0);
  // A child of the leader moves to its own group: a background job.
  proc::Task* child_task = proc::Task::Create(
                               "bg", [](void*) {}, nullptr)
                               .value();
  proc::Process* child = proc::Process::Create(*child_task, leader_).value();
  Catch(*child_task);
  ASSERT_TRUE(SetPgid(*child, 0, 0).ok());
  EXPECT_EQ(PgidOf(*child), child->pid());
  EXPECT_FALSE(child->job().group->IsOrphaned()) << "its parent is in another group of the session";
  u8 buf[4];
  EXPECT_EQ(t.Read(*child_task, buf, sizeof(buf), true).error(), Errno::kERESTARTSYS);
  EXPECT_TRUE(child->signals().shared.Has(signal::kSigTtin));
  child->signals().shared.Clear();
  // Blocking SIGTTIN makes the read fail with EIO instead.
  child_task->signals().blocked.Add(signal::kSigTtin);
  EXPECT_EQ(t.Read(*child_task, buf, sizeof(buf), true).error(), Errno::kEIO);
  child_task->signals().blocked.Remove(signal::kSigTtin);
  // Background writes go through unless TOSTOP.
  EXPECT_EQ(t.Write(*child_task, reinterpret_cast<const u8*>("x"), 1, true).value(), 1u);
  LeaveGroup(*child);
  pty->SlaveClosed();
  pty->MasterClosed();
}

TEST_F(TtyTest, SetpgidAndSetsidFollowPosix) {
  EXPECT_EQ(SetSid(*leader_).error(), Errno::kEPERM) << "already a group leader";
  EXPECT_EQ(SetPgid(*leader_, 0, 0).error(), Errno::kEPERM) << "a session leader cannot move";
  EXPECT_EQ(SetPgid(*leader_, 0, -1).error(), Errno::kEINVAL);
  EXPECT_EQ(SetPgid(*leader_, 999999, 0).error(), Errno::kESRCH);
  EXPECT_EQ(SidOf(*leader_), leader_->pid());
}

TEST(SerialTest, FloodDropsBytesButKeepsTheKernelSane) {
  if (SerialTty(0) == nullptr) GTEST_FAIL() << "hostsim must provide console port 0";
  Termios quiet = StandardTermios();
  quiet.lflag &= ~kEcho;  // keep 4095 echoed bytes off the test's stdout
  SerialTty(0)->ldisc().SetTermios(quiet);
  for (int i = 0; i < 10000; ++i) OnConsoleInput(0, 'z');
  EXPECT_EQ(SerialDroppedBytes(0), 10000u - 4096u);
  DrainSerialInput();
  EXPECT_EQ(SerialTty(0)->ldisc().buffered(), LineDiscipline::kBufferSize - 1);
  SerialTty(0)->ldisc().FlushInput();
  SerialTty(0)->ldisc().SetTermios(StandardTermios());
}

}  // namespace
}  // namespace kernel::tty
