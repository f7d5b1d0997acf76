// AF_UNIX stream sockets: socketpair bytes, shutdown, close, blocking and waking, readiness,
// flow control, and the file side (fstat type, /proc fd names, ENOTSOCK).
#include "kernel/fs/epoll.h"
#include "kernel/fs/pipe.h"
#include "kernel/proc/task.h"
#include "tests/support/net_test_support.h"

namespace kernel::net {
namespace {

using testing::NetTest;
namespace ev = fs::ev;

class UnixStreamTest : public NetTest {};

TEST_F(UnixStreamTest, PairCarriesBytesBothWaysWithoutBoundaries) {
  auto [a, b] = Pair(kSockStream);
  EXPECT_EQ(Send(*a, "ab").value(), 2u);
  EXPECT_EQ(Send(*a, "cd").value(), 2u);
  EXPECT_EQ(Recv(*b).value(), "abcd");
  EXPECT_EQ(Send(*b, "back").value(), 4u);
  EXPECT_EQ(Recv(*a, 2).value(), "ba");
  EXPECT_EQ(Recv(*a).value(), "ck");
  // read(2)/write(2) go through the same paths.
  EXPECT_EQ(fs::testing::FsTest::Write(*a, "via write").value(), 9u);
  EXPECT_EQ(fs::testing::FsTest::Read(*b).value(), "via write");
  EXPECT_EQ(S(*b).BytesReadable(), 0u);
  ASSERT_TRUE(Send(*a, "12345").ok());
  EXPECT_EQ(S(*b).BytesReadable(), 5u);
  EXPECT_EQ(Recv(*b, 2).value(), "12");
  EXPECT_EQ(S(*b).BytesReadable(), 3u);
}

TEST_F(UnixStreamTest, PeekLeavesTheBytes) {
  auto [a, b] = Pair(kSockStream);
  ASSERT_TRUE(Send(*a, "one").ok());
  ASSERT_TRUE(Send(*a, "two").ok());
  EXPECT_EQ(Recv(*b, 4096, msg::kPeek).value(), "onetwo");
  EXPECT_EQ(Recv(*b, 4, msg::kPeek).value(), "onet");
  EXPECT_EQ(Recv(*b).value(), "onetwo");
  EXPECT_EQ(RecvErr(*b, msg::kDontWait), Errno::kEAGAIN);
}

TEST_F(UnixStreamTest, ShutdownWriteGivesPeerEofAndWriterEpipe) {
  auto [a, b] = Pair(kSockStream);
  ASSERT_TRUE(S(*a).Shutdown(kShutWr).ok());
  EXPECT_EQ(Recv(*b).value(), "");  // EOF, without blocking
  EXPECT_EQ(SendErr(*a, "x", msg::kNoSignal), Errno::kEPIPE);
  EXPECT_EQ(SendErr(*a, "", msg::kNoSignal), Errno::kEPIPE) << "checked before the length";
  EXPECT_EQ(Send(*b, "still").value(), 5u);  // the other direction still works
  EXPECT_EQ(Recv(*a).value(), "still");
  u32 pb = b->Poll();
  EXPECT_TRUE(pb & ev::kRdHup);
  EXPECT_TRUE(pb & ev::kIn);
  EXPECT_FALSE(pb & ev::kHup);
  ASSERT_TRUE(S(*b).Shutdown(kShutWr).ok());
  EXPECT_TRUE(b->Poll() & ev::kHup) << "both directions shut: hang-up";
}

TEST_F(UnixStreamTest, ShutdownReadMakesPeerWritesFail) {
  auto [a, b] = Pair(kSockStream);
  ASSERT_TRUE(Send(*a, "queued").ok());
  ASSERT_TRUE(S(*b).Shutdown(kShutRd).ok());
  EXPECT_EQ(SendErr(*a, "more", msg::kNoSignal), Errno::kEPIPE);
  EXPECT_EQ(Recv(*b).value(), "queued") << "what arrived before stays readable";
  EXPECT_EQ(Recv(*b).value(), "");
}

TEST_F(UnixStreamTest, CloseGivesEofOrResetOnce) {
  {
    auto [a, b] = Pair(kSockStream);
    ASSERT_TRUE(Send(*a, "last words").ok());
    a = nullptr;
    EXPECT_EQ(Recv(*b).value(), "last words");
    EXPECT_EQ(Recv(*b).value(), "");
    EXPECT_TRUE(b->Poll() & ev::kHup);
    EXPECT_EQ(SendErr(*b, "x", msg::kNoSignal), Errno::kEPIPE);
  }
  {
    // Closing with unread data resets the peer: ECONNRESET once, then EOF.
    auto [a, b] = Pair(kSockStream);
    ASSERT_TRUE(Send(*b, "unread").ok());
    a = nullptr;
    EXPECT_TRUE(b->Poll() & ev::kErr);
    EXPECT_EQ(RecvErr(*b), Errno::kECONNRESET);
    EXPECT_EQ(Recv(*b).value(), "");
  }
}

TEST_F(UnixStreamTest, UnconnectedStreamSocket) {
  lib::RefPtr<fs::File> s = Sock(kSockStream);
  EXPECT_EQ(RecvErr(*s), Errno::kEINVAL);
  EXPECT_EQ(SendErr(*s, "x"), Errno::kENOTCONN);
  SockAddr to = PathAddr("/x");
  EXPECT_EQ(SendErr(*s, "x", 0, &to), Errno::kEOPNOTSUPP);
  u32 p = s->Poll();
  EXPECT_TRUE(p & ev::kHup);
  EXPECT_TRUE(p & ev::kOut);
  SockAddr peer;
  EXPECT_EQ(S(*s).GetName(peer, true).error(), Errno::kENOTCONN);
  EXPECT_TRUE(S(*s).Shutdown(kShutRdWr).ok()) << "Linux does not check for a connection";
  auto [a, b] = Pair(kSockStream);
  EXPECT_EQ(SendErr(*a, "x", 0, &to), Errno::kEISCONN);
  EXPECT_EQ(RecvErr(*a, msg::kOob), Errno::kEOPNOTSUPP);
  EXPECT_EQ(SendErr(*a, "x", msg::kOob), Errno::kEOPNOTSUPP);
}

TEST_F(UnixStreamTest, NonblockingFillsThenEagainAndPollFollows) {
  auto [a, b] = Pair(kSockStream, fs::o::kNonBlock);
  EXPECT_EQ(RecvErr(*a), Errno::kEAGAIN);
  EXPECT_TRUE(a->Poll() & ev::kOut);
  std::string chunk(4096, 'x');
  usize total = 0;
  for (int i = 0; i < 1000; ++i) {
    Result<usize> r = Send(*a, chunk);
    if (r.is_error()) {
      EXPECT_EQ(r.error(), Errno::kEAGAIN);
      break;
    }
    total += r.value();
  }
  EXPECT_GE(total, usize{kWmemDefault} / 2);
  EXPECT_LE(total, usize{kWmemDefault} + 65536);
  EXPECT_FALSE(a->Poll() & ev::kOut);
  EXPECT_TRUE(b->Poll() & ev::kIn);
  // Draining the peer gives the room back.
  usize drained = 0;
  for (;;) {
    Result<std::string> r = Recv(*b, 65536);
    if (r.is_error()) break;
    drained += r.value().size();
  }
  EXPECT_EQ(drained, total);
  EXPECT_EQ(U(*a).send_charge(), 0u);
  EXPECT_TRUE(a->Poll() & ev::kOut);
}

TEST_F(UnixStreamTest, BlockedReaderWakesOnData) {
  auto [a, b] = Pair(kSockStream);
  std::string got;
  bool done = false;
  Spawn("reader", [&, bb = b] {
    got = Recv(*bb).value();
    done = true;
  });
  proc::sched::Yield();
  EXPECT_FALSE(done);
  ASSERT_TRUE(Send(*a, "wake").ok());
  ASSERT_TRUE(RunUntil([&] { return done; }));
  EXPECT_EQ(got, "wake");
}

TEST_F(UnixStreamTest, WaitAllCollectsTheWholeAmount) {
  auto [a, b] = Pair(kSockStream);
  std::string got;
  bool done = false;
  Spawn("reader", [&, bb = b] {
    got = Recv(*bb, 6, msg::kWaitAll).value();
    done = true;
  });
  proc::sched::Yield();
  ASSERT_TRUE(Send(*a, "abc").ok());
  proc::sched::Yield();
  proc::sched::Yield();
  EXPECT_FALSE(done) << "MSG_WAITALL waits for all six bytes";
  ASSERT_TRUE(Send(*a, "defg").ok());
  ASSERT_TRUE(RunUntil([&] { return done; }));
  EXPECT_EQ(got, "abcdef");
  EXPECT_EQ(Recv(*b).value(), "g");
}

TEST_F(UnixStreamTest, BlockedWriterWakesWhenPeerReads) {
  auto [a, b] = Pair(kSockStream);
  std::string big(size_t{kWmemDefault} * 2, 'b');
  Result<usize> sent = usize{0};
  bool done = false;
  Spawn("writer", [&, aa = a] {
    sent = Send(*aa, big);
    done = true;
  });
  proc::sched::Yield();
  EXPECT_FALSE(done) << "the writer waits for room";
  usize got = 0;
  while (got < big.size()) {
    got += Recv(*b, 65536).value().size();
    proc::sched::Yield();
  }
  ASSERT_TRUE(RunUntil([&] { return done; }));
  EXPECT_EQ(sent.value(), big.size());
}

TEST_F(UnixStreamTest, SignalInterruptsAndTimeoutExpires) {
  auto [a, b] = Pair(kSockStream);
  Result<std::string> r = std::string();
  bool done = false;
  proc::Task* t = Spawn("reader", [&, bb = b] {
    r = Recv(*bb);
    done = true;
  });
  proc::sched::Yield();
  t->set_interrupt_pending(true);
  proc::sched::Wake(*t);
  ASSERT_TRUE(RunUntil([&] { return done; }));
  EXPECT_EQ(r.error(), Errno::kERESTARTSYS) << "no timeout: the call may restart";

  // SO_RCVTIMEO: EAGAIN when it expires, EINTR (never a restart) on a signal.
  OptionValue tv;
  Timeval t10ms{0, 10000};
  __builtin_memcpy(tv.bytes, &t10ms, sizeof(t10ms));
  tv.len = sizeof(t10ms);
  ASSERT_TRUE(S(*b).SetOption(kSolSocket, so::kRcvTimeo, tv, false).ok());
  EXPECT_EQ(RecvErr(*b), Errno::kEAGAIN);
  done = false;
  t = Spawn("reader2", [&, bb = b] {
    r = Recv(*bb);
    done = true;
  });
  proc::sched::Yield();
  t->set_interrupt_pending(true);
  proc::sched::Wake(*t);
  ASSERT_TRUE(RunUntil([&] { return done; }));
  EXPECT_EQ(r.error(), Errno::kEINTR);
}

TEST_F(UnixStreamTest, EpollHearsAboutData) {
  auto [a, b] = Pair(kSockStream);
  lib::RefPtr<fs::File> ep = fs::CreateEpoll(0).value();
  fs::EpollEvent want{ev::kIn, 7};
  ASSERT_TRUE(fs::EpollCtl(*ep, fs::kEpollCtlAdd, 4, *b, &want).ok());
  fs::EpollEvent out[2];
  EXPECT_EQ(fs::EpollWait(*ep, out, 2, 0).value(), 0u);
  ASSERT_TRUE(Send(*a, "x").ok());
  ASSERT_EQ(fs::EpollWait(*ep, out, 2, 0).value(), 1u);
  EXPECT_EQ(out[0].data, 7u);
  EXPECT_TRUE(out[0].events & ev::kIn);
  // A waiter is woken by the peer's close.
  ASSERT_TRUE(Recv(*b).ok());
  Spawn("closer", [&sock = a] { sock = nullptr; });
  fs::EpollEvent hup{ev::kIn | ev::kRdHup, 8};
  ASSERT_TRUE(fs::EpollCtl(*ep, fs::kEpollCtlMod, 4, *b, &hup).ok());
  ASSERT_EQ(fs::EpollWait(*ep, out, 2, ~u64{0}).value(), 1u);
  EXPECT_TRUE(out[0].events & ev::kRdHup);
  EXPECT_TRUE(out[0].events & ev::kHup);
}

TEST_F(UnixStreamTest, FileSideIsASocket) {
  auto [a, b] = Pair(kSockStream);
  ASSERT_NE(a->inode(), nullptr);
  EXPECT_TRUE(fs::IsSock(a->inode()->mode()));
  EXPECT_NE(a->inode()->ino(), b->inode()->ino());
  lib::String d = a->Describe().release_value();
  EXPECT_EQ(std::string(d.c_str()), "socket:[" + std::to_string(a->inode()->ino()) + "]");
  EXPECT_FALSE(a->seekable());
  EXPECT_EQ(a->Seek(0, fs::kSeekSet).error(), Errno::kESPIPE);
  EXPECT_TRUE(IsSocket(*a));
  fs::PipeEnds p = fs::CreatePipe(0, 0, 0).value();
  EXPECT_EQ(AsSocket(*p.read).error(), Errno::kENOTSOCK);
}

TEST_F(UnixStreamTest, CredentialsNeverGlueDifferentWriters) {
  auto [a, b] = Pair(kSockStream);
  OptionValue on;
  int one = 1;
  __builtin_memcpy(on.bytes, &one, sizeof(one));
  on.len = sizeof(one);
  ASSERT_TRUE(S(*b).SetOption(kSolSocket, so::kPassCred, on, false).ok());
  Ancillary as_other;
  as_other.has_creds = true;
  as_other.creds = UCred{0, 55, 77};
  ASSERT_TRUE(Send(*a, "mine").ok());
  ASSERT_TRUE(Send(*a, "theirs", 0, nullptr, &as_other).ok());
  Received r1, r2;
  EXPECT_EQ(Recv(*b, 4096, 0, &r1).value(), "mine");
  EXPECT_TRUE(r1.has_creds);
  EXPECT_EQ(r1.creds.uid, 0u);
  EXPECT_EQ(Recv(*b, 4096, 0, &r2).value(), "theirs");
  EXPECT_EQ(r2.creds.uid, 55u);
  EXPECT_EQ(r2.creds.gid, 77u);
}

}  // namespace
}  // namespace kernel::net
