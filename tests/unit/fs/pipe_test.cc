// Pipes and FIFOs: ordering, EOF, EPIPE, O_NONBLOCK, PIPE_BUF atomicity, blocking with other
// tasks, poll readiness, F_SETPIPE_SZ, FIFO open rules.
#include "kernel/fs/pipe.h"

#include "kernel/fs/namei.h"
#include "kernel/fs/open.h"
#include "kernel/fs/poll.h"
#include "tests/support/fs_test_support.h"

namespace kernel::fs {
namespace {

using testing::FsTest;

class PipeTest : public FsTest {
 protected:
  PipeEnds Make(u32 flags = 0) { return CreatePipe(flags, 0, 0).value(); }
};

TEST_F(PipeTest, BytesComeOutInOrderAndEofAfterWriterCloses) {
  PipeEnds p = Make();
  EXPECT_EQ(Write(*p.write, "hello ").value(), 6u);
  EXPECT_EQ(Write(*p.write, "world").value(), 5u);
  EXPECT_EQ(Read(*p.read, 3).value(), "hel");
  EXPECT_EQ(Read(*p.read).value(), "lo world");
  p.write = nullptr;
  EXPECT_EQ(Read(*p.read).value(), "");  // EOF
  EXPECT_TRUE(p.read->Poll() & ev::kHup);
}

TEST_F(PipeTest, WriteWithoutReadersIsEPIPE) {
  PipeEnds p = Make();
  p.read = nullptr;
  EXPECT_EQ(Write(*p.write, "x").error(), Errno::kEPIPE);
  EXPECT_TRUE(p.write->Poll() & ev::kErr);
  EXPECT_EQ(Write(*p.write, "").value(), 0u);  // empty writes succeed before the check
}

TEST_F(PipeTest, NonBlockingEmptyAndFull) {
  PipeEnds p = Make(o::kNonBlock);
  EXPECT_EQ(Read(*p.read).error(), Errno::kEAGAIN);
  std::string big(Pipe::kDefaultSize, 'b');
  EXPECT_EQ(Write(*p.write, big + "overflow").value(), Pipe::kDefaultSize);  // what fits
  EXPECT_EQ(Write(*p.write, "x").error(), Errno::kEAGAIN);
  EXPECT_FALSE(p.write->Poll() & ev::kOut);
  // Reading 100 bytes frees no slot (the first buffer is only partly read), so nothing fits,
  // however small, and a write past PIPE_BUF takes nothing either [fs/pipe.c pipe_write].
  EXPECT_EQ(Read(*p.read, 100).value().size(), 100u);
  EXPECT_EQ(Write(*p.write, "c").error(), Errno::kEAGAIN);
  EXPECT_EQ(Write(*p.write, std::string(kPipeBuf + 1, 'c')).error(), Errno::kEAGAIN);
  EXPECT_FALSE(p.write->Poll() & ev::kOut);
  // Reading past the first buffer frees its slot: POLLOUT, and one page more fits.
  EXPECT_EQ(Read(*p.read, 4096).value().size(), 4096u);
  EXPECT_TRUE(p.write->Poll() & ev::kOut);
  EXPECT_EQ(Write(*p.write, std::string(kPipeBuf + 100, 'c')).value(), kPipeBuf);
  EXPECT_FALSE(p.write->Poll() & ev::kOut);
  EXPECT_EQ(p.read->Poll() & ev::kIn, ev::kIn);
  usize drained = 0;
  for (;;) {
    Result<std::string> r = Read(*p.read, 65536);
    if (r.is_error()) break;
    drained += r.value().size();
  }
  EXPECT_EQ(drained, Pipe::kDefaultSize - 100);
}

// Small writes share a page while they fit after the newest buffer's data; a write's last
// (size % PAGE_SIZE) bytes merge only when they fit there whole, the rest takes fresh pages.
TEST_F(PipeTest, WritesMergeIntoTheNewestBufferOnlyWhenTheyFit) {
  PipeEnds p = Make(o::kNonBlock);
  Pipe& pipe = static_cast<PipeFile&>(*p.write).pipe();
  ASSERT_EQ(Write(*p.write, std::string(10, 'a')).value(), 10u);
  ASSERT_EQ(Write(*p.write, std::string(10, 'b')).value(), 10u);
  EXPECT_EQ(pipe.used_slots(), 1u);
  ASSERT_EQ(Write(*p.write, std::string(4090, 'c')).value(), 4090u);
  EXPECT_EQ(pipe.used_slots(), 2u) << "20 + 4090 bytes do not fit one page";
  ASSERT_EQ(Write(*p.write, std::string(4096 + 5, 'd')).value(), 4101u);
  EXPECT_EQ(pipe.used_slots(), 3u) << "5 bytes merged after the 4090, 4096 in a new page";
  EXPECT_EQ(pipe.available(), 20u + 4090u + 4101u);
  // F_SETPIPE_SZ counts slots too: 3 buffers need 4 slots.
  EXPECT_EQ(pipe.Resize(2 * kPageSize, false).error(), Errno::kEBUSY);
  EXPECT_EQ(pipe.Resize(3 * kPageSize, false).value(), 4 * kPageSize);
  std::string all = Read(*p.read, 65536).value();
  EXPECT_EQ(all, std::string(10, 'a') + std::string(10, 'b') + std::string(4090, 'c') +
                     std::string(4096 + 5, 'd'));
  EXPECT_EQ(pipe.used_slots(), 0u);
}

TEST_F(PipeTest, BlockingReaderWakesWhenDataArrives) {
  PipeEnds p = Make();
  std::string got;
  bool done = false;
  Spawn("reader", [&] {
    got = Read(*p.read).value();
    done = true;
  });
  ASSERT_TRUE(RunUntil([&] { return p.read->Poll() == 0 && !done; }));
  proc::sched::Yield();
  EXPECT_FALSE(done);  // asleep on the empty pipe
  ASSERT_TRUE(Write(*p.write, "wake").ok());
  ASSERT_TRUE(RunUntil([&] { return done; }));
  EXPECT_EQ(got, "wake");
}

TEST_F(PipeTest, AtomicWritesAreNeverInterleaved) {
  PipeEnds p = Make();
  // Two writers of PIPE_BUF-sized records race a slow reader: each record must arrive whole.
  constexpr int kRecords = 40;
  int finished = 0;
  for (char tag : {'A', 'B'}) {
    Spawn("writer", [&, tag] {
      for (int i = 0; i < kRecords; ++i)
        ASSERT_TRUE(Write(*p.write, std::string(kPipeBuf, tag)).ok());
      ++finished;
    });
  }
  std::string all;
  while (all.size() < 2ul * kRecords * kPipeBuf) {
    std::string chunk = Read(*p.read, 1000).value();
    all += chunk;
    proc::sched::Yield();
  }
  ASSERT_TRUE(RunUntil([&] { return finished == 2; }));
  for (usize r = 0; r < all.size(); r += kPipeBuf) {
    std::string rec = all.substr(r, kPipeBuf);
    EXPECT_EQ(rec, std::string(kPipeBuf, rec[0])) << "record " << r / kPipeBuf << " is torn";
  }
}

TEST_F(PipeTest, BlockedWriterGetsEPIPEWhenReaderLeaves) {
  PipeEnds p = Make();
  ASSERT_TRUE(Write(*p.write, std::string(Pipe::kDefaultSize, 'f')).ok());
  Result<usize> result = usize{0};
  bool done = false;
  Spawn("writer", [&] {
    result = Write(*p.write, "more");
    done = true;
  });
  proc::sched::Yield();
  EXPECT_FALSE(done);
  p.read = nullptr;
  ASSERT_TRUE(RunUntil([&] { return done; }));
  EXPECT_EQ(result.error(), Errno::kEPIPE);
}

TEST_F(PipeTest, SignalInterruptsABlockedRead) {
  PipeEnds p = Make();
  Result<std::string> r = std::string();
  bool done = false;
  proc::Task* t = Spawn("reader", [&] {
    r = Read(*p.read);
    done = true;
  });
  proc::sched::Yield();
  t->set_interrupt_pending(true);
  proc::sched::Wake(*t);
  ASSERT_TRUE(RunUntil([&] { return done; }));
  EXPECT_EQ(r.error(), Errno::kERESTARTSYS);
}

TEST_F(PipeTest, ResizeKeepsDataAndRefusesTooSmall) {
  PipeEnds p = Make();
  auto& pipe = static_cast<PipeFile&>(*p.read).pipe();
  ASSERT_TRUE(Write(*p.write, "abcdef").ok());
  EXPECT_EQ(pipe.Resize(1, false).value(), 4096u);
  EXPECT_EQ(pipe.capacity(), 4096u);
  EXPECT_EQ(Read(*p.read).value(), "abcdef");
  EXPECT_EQ(pipe.Resize(100000, false).value(), 131072u);  // a power of two of pages
  EXPECT_EQ(pipe.Resize(Pipe::kMaxSize * 2, false).error(), Errno::kEPERM);
  ASSERT_TRUE(Write(*p.write, std::string(10000, 'z')).ok());
  EXPECT_EQ(pipe.Resize(4096, false).error(), Errno::kEBUSY);
}

TEST_F(PipeTest, PollSeesEachChange) {
  PipeEnds p = Make();
  int r = fds_->Install(p.read, 0).value();
  int w = fds_->Install(p.write, 0).value();
  PollRequest reqs[2] = {{r, ev::kIn, 0}, {w, ev::kOut, 0}};
  EXPECT_EQ(DoPoll(actor_, reqs, kPollNoWait).value(), 1u);
  EXPECT_EQ(reqs[0].revents, 0u);
  EXPECT_EQ(reqs[1].revents, ev::kOut);
  // A poller asleep on the read end is woken by a write from another task.
  Spawn("writer", [&] { ASSERT_TRUE(Write(*p.write, "!").ok()); });
  PollRequest one[1] = {{r, ev::kIn, 0}};
  EXPECT_EQ(DoPoll(actor_, one, kPollForever).value(), 1u);
  EXPECT_EQ(one[0].revents, ev::kIn);
  // Closed and negative fds.
  PollRequest odd[2] = {{99, ev::kIn, 0}, {-1, ev::kIn, 0}};
  EXPECT_EQ(DoPoll(actor_, odd, kPollNoWait).value(), 1u);
  EXPECT_EQ(odd[0].revents, ev::kNval);
  EXPECT_EQ(odd[1].revents, 0u);
  // A timeout in the past returns at once with nothing.
  PollRequest none[1] = {{w, ev::kIn, 0}};
  EXPECT_EQ(DoPoll(actor_, none, 1).value(), 0u);
}

TEST_F(PipeTest, FifoOpenRules) {
  ASSERT_TRUE(MakeNode(actor_, kAtFdCwd, "/fifo", mode::kFifo | 0666, 0).ok());
  // A nonblocking writer with no reader: ENXIO. A nonblocking reader opens at once.
  EXPECT_EQ(OpenErr("/fifo", o::kWrOnly | o::kNonBlock), Errno::kENXIO);
  lib::RefPtr<File> r = OpenPath("/fifo", o::kRdOnly | o::kNonBlock).value();
  EXPECT_EQ(r->Poll() & ev::kHup, 0u);  // no writer has come yet: no hang-up
  lib::RefPtr<File> w = OpenPath("/fifo", o::kWrOnly | o::kNonBlock).value();
  ASSERT_TRUE(Write(*w, "through the fifo").ok());
  EXPECT_EQ(Read(*r).value(), "through the fifo");
  w = nullptr;
  EXPECT_TRUE(r->Poll() & ev::kHup);
  r = nullptr;
  EXPECT_EQ(Lookup("/fifo").value().inode()->fifo_state(), nullptr);  // buffer gone
  // A blocking reader waits for a writer.
  bool opened = false;
  Spawn("reader", [&] {
    lib::RefPtr<File> rr = OpenPath("/fifo", o::kRdOnly).value();
    opened = true;
    EXPECT_EQ(Read(*rr).value(), "hi");
  });
  proc::sched::Yield();
  EXPECT_FALSE(opened);
  lib::RefPtr<File> ww = OpenPath("/fifo", o::kWrOnly).value();
  ASSERT_TRUE(RunUntil([&] { return opened; }));
  ASSERT_TRUE(Write(*ww, "hi").ok());
  ASSERT_TRUE(RunUntil([&] { return AllDead(); }));
  // O_RDWR never blocks.
  EXPECT_TRUE(OpenPath("/fifo", o::kRdWr).ok());
}

TEST_F(PipeTest, DescribeNamesThePipe) {
  PipeEnds p = Make();
  lib::String d = p.read->Describe().release_value();
  EXPECT_EQ(std::string(d.c_str()), "pipe:[" + std::to_string(p.read->inode()->ino()) + "]");
  EXPECT_FALSE(p.read->seekable());
  EXPECT_EQ(p.read->Seek(0, kSeekSet).error(), Errno::kESPIPE);
}

}  // namespace
}  // namespace kernel::fs
