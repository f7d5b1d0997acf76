// epoll: level and edge triggering, EPOLLONESHOT, items that die with their file, nested
// instances, ctl errors, waking a blocked epoll_wait; eventfd semantics.
#include "kernel/fs/epoll.h"

#include "kernel/fs/eventfd.h"
#include "kernel/fs/pipe.h"
#include "tests/support/fs_test_support.h"

namespace kernel::fs {
namespace {

using testing::FsTest;

class EpollTest : public FsTest {
 protected:
  void SetUp() override {
    FsTest::SetUp();
    ep_ = CreateEpoll(0).value();
  }
  lib::RefPtr<File> ep_;
  void TearDown() override {
    ep_ = nullptr;
    FsTest::TearDown();
  }
  Result<void> Add(File& target, int fd, u32 events, u64 data) {
    EpollEvent e{events, data};
    return EpollCtl(*ep_, kEpollCtlAdd, fd, target, &e);
  }
  std::vector<std::pair<u32, u64>> Wait(u64 deadline = 0, usize max = 16) {
    EpollEvent out[16];
    usize n = EpollWait(*ep_, out, max, deadline).value();
    std::vector<std::pair<u32, u64>> v;
    for (usize i = 0; i < n; ++i) v.emplace_back(u32{out[i].events}, u64{out[i].data});
    return v;
  }
};

using Events = std::vector<std::pair<u32, u64>>;

TEST_F(EpollTest, LevelTriggeredStaysReady) {
  PipeEnds p = CreatePipe(0, 0, 0).value();
  ASSERT_TRUE(Add(*p.read, 3, ev::kIn, 42).ok());
  EXPECT_EQ(Wait(), Events{});
  ASSERT_TRUE(Write(*p.write, "x").ok());
  EXPECT_EQ(Wait(), (Events{{ev::kIn, 42}}));
  EXPECT_EQ(Wait(), (Events{{ev::kIn, 42}}));  // still unread: still reported
  ASSERT_TRUE(Read(*p.read).ok());
  EXPECT_EQ(Wait(), Events{});
}

TEST_F(EpollTest, EdgeTriggeredReportsOncePerChange) {
  PipeEnds p = CreatePipe(0, 0, 0).value();
  ASSERT_TRUE(Add(*p.read, 3, ev::kIn | ev::kEdge, 7).ok());
  ASSERT_TRUE(Write(*p.write, "a").ok());
  EXPECT_EQ(Wait(), (Events{{ev::kIn, 7}}));
  EXPECT_EQ(Wait(), Events{});  // no new edge
  ASSERT_TRUE(Write(*p.write, "b").ok());
  EXPECT_EQ(Wait(), (Events{{ev::kIn, 7}}));
}

TEST_F(EpollTest, OneShotDisarmsUntilMod) {
  PipeEnds p = CreatePipe(0, 0, 0).value();
  ASSERT_TRUE(Add(*p.read, 3, ev::kIn | ev::kOneShot, 9).ok());
  ASSERT_TRUE(Write(*p.write, "a").ok());
  EXPECT_EQ(Wait(), (Events{{ev::kIn, 9}}));
  ASSERT_TRUE(Write(*p.write, "b").ok());
  EXPECT_EQ(Wait(), Events{});
  EpollEvent e{ev::kIn | ev::kOneShot, 10};
  ASSERT_TRUE(EpollCtl(*ep_, kEpollCtlMod, 3, *p.read, &e).ok());
  EXPECT_EQ(Wait(), (Events{{ev::kIn, 10}}));
}

TEST_F(EpollTest, HangupAndErrorAreAlwaysReported) {
  PipeEnds p = CreatePipe(0, 0, 0).value();
  ASSERT_TRUE(Add(*p.read, 3, 0, 1).ok());
  ASSERT_TRUE(Add(*p.write, 4, ev::kOut, 2).ok());
  EXPECT_EQ(Wait(), (Events{{ev::kOut, 2}}));
  p.write = nullptr;  // its item goes with it; the reader sees a hang-up
  EXPECT_EQ(Wait(), (Events{{ev::kHup, 1}}));
}

TEST_F(EpollTest, CtlErrors) {
  PipeEnds p = CreatePipe(0, 0, 0).value();
  ASSERT_TRUE(Add(*p.read, 3, ev::kIn, 0).ok());
  EXPECT_EQ(Add(*p.read, 3, ev::kIn, 0).error(), Errno::kEEXIST);
  EXPECT_TRUE(Add(*p.read, 5, ev::kIn, 0).ok());  // another fd for the same file is fine
  EpollEvent e{ev::kIn, 0};
  EXPECT_EQ(EpollCtl(*ep_, kEpollCtlMod, 9, *p.write, &e).error(), Errno::kENOENT);
  EXPECT_EQ(EpollCtl(*ep_, kEpollCtlDel, 9, *p.write, nullptr).error(), Errno::kENOENT);
  EXPECT_EQ(EpollCtl(*ep_, 77, 3, *p.read, &e).error(), Errno::kEINVAL);
  EXPECT_EQ(EpollCtl(*ep_, kEpollCtlAdd, 1, *ep_, &e).error(), Errno::kEINVAL);  // itself
  EXPECT_TRUE(EpollCtl(*ep_, kEpollCtlDel, 3, *p.read, nullptr).ok());
  // Regular files cannot be watched.
  ASSERT_TRUE(WriteFile("/f", "").ok());
  lib::RefPtr<File> f = OpenPath("/f", o::kRdOnly).value();
  EXPECT_EQ(Add(*f, 6, ev::kIn, 0).error(), Errno::kEPERM);
  // A loop through a nested instance.
  lib::RefPtr<File> inner = CreateEpoll(0).value();
  EXPECT_TRUE(Add(*inner, 7, ev::kIn, 0).ok());
  EXPECT_EQ(EpollCtl(*inner, kEpollCtlAdd, 8, *ep_, &e).error(), Errno::kELOOP);
  EXPECT_EQ(EpollWait(*ep_, nullptr, 0, 0).error(), Errno::kEINVAL);
  EXPECT_EQ(EpollCtl(*f, kEpollCtlAdd, 1, *p.read, &e).error(), Errno::kEINVAL);
}

TEST_F(EpollTest, NestedEpollBecomesReadable) {
  lib::RefPtr<File> inner = CreateEpoll(0).value();
  PipeEnds p = CreatePipe(0, 0, 0).value();
  EpollEvent e{ev::kIn, 1};
  ASSERT_TRUE(EpollCtl(*inner, kEpollCtlAdd, 3, *p.read, &e).ok());
  ASSERT_TRUE(Add(*inner, 4, ev::kIn, 2).ok());
  EXPECT_EQ(Wait(), Events{});
  ASSERT_TRUE(Write(*p.write, "x").ok());
  EXPECT_EQ(Wait(), (Events{{ev::kIn, 2}}));
}

TEST_F(EpollTest, BlockedWaitWakesUpAndTimesOut) {
  lib::RefPtr<File> efd = CreateEventFd(0, 0).value();
  ASSERT_TRUE(Add(*efd, 3, ev::kIn, 5).ok());
  Spawn("poster", [&] {
    u64 one = 1;
    u64 off = 0;
    ASSERT_TRUE(efd->Write(IoBuffer::KernelConst(&one, 8), off).ok());
  });
  EXPECT_EQ(Wait(~u64{0}), (Events{{ev::kIn, 5}}));
  u64 v = 0, off = 0;
  ASSERT_TRUE(efd->Read(IoBuffer::Kernel(&v, 8), off).ok());
  // Nothing more: a deadline a little in the future passes (the virtual clock jumps).
  EXPECT_EQ(Wait(time::MonotonicNs() + 1'000'000), Events{});
  // A signal ends the wait with EINTR.
  proc::Task* self = proc::sched::Current();
  self->set_interrupt_pending(true);
  EpollEvent out[1];
  EXPECT_EQ(EpollWait(*ep_, out, 1, ~u64{0}).error(), Errno::kEINTR);
  self->set_interrupt_pending(false);
}

TEST_F(EpollTest, EventFdCounterAndSemaphore) {
  lib::RefPtr<File> e = CreateEventFd(3, kEfdNonBlock).value();
  u64 v = 0, off = 0;
  ASSERT_TRUE(e->Read(IoBuffer::Kernel(&v, 8), off).ok());
  EXPECT_EQ(v, 3u);
  EXPECT_EQ(e->Read(IoBuffer::Kernel(&v, 8), off).error(), Errno::kEAGAIN);
  EXPECT_EQ(e->Read(IoBuffer::Kernel(&v, 4), off).error(), Errno::kEINVAL);
  u64 max = ~u64{0};
  EXPECT_EQ(e->Write(IoBuffer::KernelConst(&max, 8), off).error(), Errno::kEINVAL);
  u64 big = ~u64{0} - 1;
  ASSERT_TRUE(e->Write(IoBuffer::KernelConst(&big, 8), off).ok());
  u64 one = 1;
  EXPECT_EQ(e->Write(IoBuffer::KernelConst(&one, 8), off).error(), Errno::kEAGAIN);
  EXPECT_EQ(e->Poll(), ev::kReadable);
  lib::RefPtr<File> sem = CreateEventFd(2, kEfdSemaphore | kEfdNonBlock).value();
  ASSERT_TRUE(sem->Read(IoBuffer::Kernel(&v, 8), off).ok());
  EXPECT_EQ(v, 1u);
  ASSERT_TRUE(sem->Read(IoBuffer::Kernel(&v, 8), off).ok());
  EXPECT_EQ(sem->Read(IoBuffer::Kernel(&v, 8), off).error(), Errno::kEAGAIN);
  EXPECT_EQ(CreateEventFd(0, 0x40).error(), Errno::kEINVAL);
}

}  // namespace
}  // namespace kernel::fs
