// Fd tables: lowest-free allocation, limits, dup2 replacing, close-on-exec, close_range,
// clone; file locks (POSIX record locks with splitting/merging and deadlock detection,
// OFD locks, flock).
#include "kernel/fs/fd_table.h"

#include "kernel/fs/locks.h"
#include "kernel/fs/pipe.h"
#include "tests/support/fs_test_support.h"

namespace kernel::fs {
namespace {

using testing::FsTest;

class FdTableTest : public FsTest {
 protected:
  lib::RefPtr<File> NewFile() {
    EXPECT_TRUE(WriteFile("/f", "0123456789").ok());
    return OpenPath("/f", o::kRdWr).value();
  }
};

TEST_F(FdTableTest, LowestFreeAndLimits) {
  lib::RefPtr<File> f = NewFile();
  FdTable& t = *fds_;
  EXPECT_EQ(t.Install(f, 0).value(), 0);
  EXPECT_EQ(t.Install(f, 0).value(), 1);
  EXPECT_EQ(t.Install(f, 0).value(), 2);
  ASSERT_TRUE(t.Remove(1).ok());
  EXPECT_EQ(t.Install(f, 0).value(), 1);
  EXPECT_EQ(t.Install(f, 0, 10).value(), 10);
  EXPECT_EQ(t.Install(f, 0, 5).value(), 5);
  EXPECT_EQ(t.Install(f, 0).value(), 3);
  EXPECT_EQ(t.Get(4).error(), Errno::kEBADF);
  EXPECT_EQ(t.Get(-1).error(), Errno::kEBADF);
  EXPECT_EQ(t.Get(1 << 30).error(), Errno::kEBADF);
  EXPECT_EQ(t.Remove(4).error(), Errno::kEBADF);
  t.set_limit(12);
  EXPECT_EQ(t.Install(f, 0, 12).error(), Errno::kEINVAL);
  EXPECT_EQ(t.Install(f, 0).value(), 4);
  EXPECT_EQ(t.Install(f, 0, 11).value(), 11);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(t.Install(f, 0).ok());  // 6, 7, 8, 9
  EXPECT_EQ(t.Install(f, 0).error(), Errno::kEMFILE);
  EXPECT_EQ(t.InstallAt(12, f, 0).error(), Errno::kEBADF);
  EXPECT_EQ(t.open_count(), 12u);
}

TEST_F(FdTableTest, InstallAtReplacesAndCloexecFlags) {
  lib::RefPtr<File> f = NewFile();
  PipeEnds p = CreatePipe(0, 0, 0).value();
  FdTable& t = *fds_;
  ASSERT_EQ(t.Install(p.write, kFdCloexec).value(), 0);
  EXPECT_EQ(t.GetFdFlags(0).value(), kFdCloexec);
  p.write = nullptr;
  ASSERT_TRUE(t.InstallAt(0, f, 0).ok());  // closes the pipe's write end...
  EXPECT_EQ(Read(*p.read).value(), "");    // ...so the reader sees EOF
  EXPECT_EQ(t.GetFdFlags(0).value(), 0u);
  ASSERT_TRUE(t.SetFdFlags(0, kFdCloexec).ok());
  ASSERT_TRUE(t.Install(f, 0).ok());
  t.CloseOnExec();
  EXPECT_EQ(t.Get(0).error(), Errno::kEBADF);
  EXPECT_TRUE(t.Get(1).ok());
}

TEST_F(FdTableTest, CloseRangeAndClone) {
  lib::RefPtr<File> f = NewFile();
  FdTable& t = *fds_;
  for (int i = 0; i < 8; ++i) ASSERT_TRUE(t.Install(f, 0).ok());
  t.CloseRange(2, 4, /*cloexec_only=*/false);
  t.CloseRange(6, ~0u, /*cloexec_only=*/true);
  EXPECT_EQ(t.open_count(), 5u);
  EXPECT_EQ(t.GetFdFlags(7).value(), kFdCloexec);
  lib::RefPtr<FdTable> copy = t.Clone().value();
  EXPECT_EQ(copy->open_count(), 5u);
  EXPECT_EQ(copy->Get(0).value(), f);
  EXPECT_EQ(copy->GetFdFlags(7).value(), kFdCloexec);
  ASSERT_TRUE(copy->Remove(0).ok());
  EXPECT_TRUE(t.Get(0).ok());  // independent tables
  EXPECT_EQ(copy->Install(f, 0).value(), 0);
  copy->CloseAll();
  EXPECT_EQ(copy->open_count(), 0u);
}

TEST_F(FdTableTest, PosixLocksSplitMergeAndConflict) {
  lib::RefPtr<File> f = NewFile();
  lib::RefPtr<FdTable> other = FdTable::Create().value();
  const void* me = fds_.get();
  const void* them = other.get();
  LockRange w{kWrLck, 0, 99, 1};
  ASSERT_TRUE(SetLock(*f, me, w, false).ok());
  // Unlocking the middle splits our lock in two.
  ASSERT_TRUE(SetLock(*f, me, LockRange{kUnLck, 40, 59, 1}, false).ok());
  EXPECT_EQ(TestLock(*f, them, LockRange{kRdLck, 50, 50, 2}).value().type, kUnLck);
  LockRange c = TestLock(*f, them, LockRange{kRdLck, 30, 70, 2}).value();
  EXPECT_EQ(c.type, kWrLck);
  EXPECT_EQ(c.start, 0u);
  EXPECT_EQ(c.end, 39u);
  EXPECT_EQ(c.pid, 1);
  EXPECT_EQ(SetLock(*f, them, LockRange{kRdLck, 60, 60, 2}, false).error(), Errno::kEAGAIN);
  // Our own locks never conflict with us; read locks share.
  ASSERT_TRUE(SetLock(*f, me, LockRange{kRdLck, 0, 200, 1}, false).ok());
  ASSERT_TRUE(SetLock(*f, them, LockRange{kRdLck, 0, kLockEof, 2}, false).ok());
  EXPECT_EQ(SetLock(*f, them, LockRange{kWrLck, 150, 160, 2}, false).error(), Errno::kEAGAIN);
  // Closing any fd of the file drops all of the table's locks on it.
  ReleasePosixLocks(*f, me);
  EXPECT_TRUE(SetLock(*f, them, LockRange{kWrLck, 150, 160, 2}, false).ok());
  // Locks need the matching access mode.
  ASSERT_TRUE(WriteFile("/ro", "x").ok());
  lib::RefPtr<File> ro = OpenPath("/ro", o::kRdOnly).value();
  EXPECT_EQ(SetLock(*ro, me, LockRange{kWrLck, 0, 0, 1}, false).error(), Errno::kEBADF);
}

TEST_F(FdTableTest, LockRangeFromStructFlock) {
  lib::RefPtr<File> f = NewFile();
  f->set_pos(5);
  LockRange r = LockRangeFrom(Flock{kWrLck, kSeekCur, 2, 3, 0}, *f).value();
  EXPECT_EQ(r.start, 7u);
  EXPECT_EQ(r.end, 9u);
  r = LockRangeFrom(Flock{kRdLck, kSeekEnd, -4, 0, 0}, *f).value();
  EXPECT_EQ(r.start, 6u);
  EXPECT_EQ(r.end, kLockEof);
  r = LockRangeFrom(Flock{kRdLck, kSeekSet, 10, -5, 0}, *f).value();
  EXPECT_EQ(r.start, 5u);
  EXPECT_EQ(r.end, 9u);
  EXPECT_EQ(LockRangeFrom(Flock{kRdLck, kSeekSet, -1, 1, 0}, *f).error(), Errno::kEINVAL);
  EXPECT_EQ(LockRangeFrom(Flock{kRdLck, 9, 0, 1, 0}, *f).error(), Errno::kEINVAL);
  EXPECT_EQ(LockRangeFrom(Flock{7, kSeekSet, 0, 1, 0}, *f).error(), Errno::kEINVAL);
  EXPECT_EQ(LockRangeFrom(Flock{kRdLck, kSeekSet, 0x7fffffffffffffff, 2, 0}, *f).error(),
            Errno::kEOVERFLOW);
}

TEST_F(FdTableTest, BlockingLockWaitsAndDeadlockIsDetected) {
  lib::RefPtr<File> f = NewFile();
  lib::RefPtr<FdTable> a = FdTable::Create().value();
  lib::RefPtr<FdTable> b = FdTable::Create().value();
  ASSERT_TRUE(SetLock(*f, a.get(), LockRange{kWrLck, 0, 0, 1}, false).ok());
  ASSERT_TRUE(SetLock(*f, b.get(), LockRange{kWrLck, 1, 1, 2}, false).ok());
  bool b_got_it = false;
  Spawn("b", [&] {
    // b waits for a's byte 0...
    ASSERT_TRUE(SetLock(*f, b.get(), LockRange{kWrLck, 0, 0, 2}, true).ok());
    b_got_it = true;
  });
  proc::sched::Yield();
  EXPECT_FALSE(b_got_it);
  // ...so a waiting for b's byte 1 would deadlock.
  EXPECT_EQ(SetLock(*f, a.get(), LockRange{kWrLck, 1, 1, 1}, true).error(), Errno::kEDEADLK);
  ASSERT_TRUE(SetLock(*f, a.get(), LockRange{kUnLck, 0, 0, 1}, false).ok());
  ASSERT_TRUE(RunUntil([&] { return b_got_it; }));
}

TEST_F(FdTableTest, FlockSharesExcludesAndDiesWithTheFile) {
  ASSERT_TRUE(WriteFile("/lk", "").ok());
  lib::RefPtr<File> a = OpenPath("/lk", o::kRdOnly).value();
  lib::RefPtr<File> b = OpenPath("/lk", o::kRdOnly).value();
  ASSERT_TRUE(FlockFile(*a, kLockSh).ok());
  ASSERT_TRUE(FlockFile(*b, kLockSh).ok());
  EXPECT_EQ(FlockFile(*b, kLockEx | kLockNb).error(), Errno::kEAGAIN);
  ASSERT_TRUE(FlockFile(*a, kLockUn).ok());
  ASSERT_TRUE(FlockFile(*b, kLockEx | kLockNb).ok());
  EXPECT_EQ(FlockFile(*a, kLockSh | kLockNb).error(), Errno::kEAGAIN);
  b = nullptr;  // the last reference: its lock goes
  EXPECT_TRUE(FlockFile(*a, kLockEx | kLockNb).ok());
  EXPECT_EQ(FlockFile(*a, 0).error(), Errno::kEINVAL);
  // OFD locks belong to the open file and go with it too.
  lib::RefPtr<File> c = OpenPath("/lk", o::kRdWr).value();
  lib::RefPtr<File> d = OpenPath("/lk", o::kRdWr).value();
  ASSERT_TRUE(SetLock(*c, c.get(), LockRange{kWrLck, 0, kLockEof, -1}, false).ok());
  EXPECT_EQ(SetLock(*d, d.get(), LockRange{kWrLck, 5, 5, -1}, false).error(), Errno::kEAGAIN);
  c = nullptr;
  EXPECT_TRUE(SetLock(*d, d.get(), LockRange{kWrLck, 5, 5, -1}, false).ok());
}

}  // namespace
}  // namespace kernel::fs
