// AF_UNIX datagram and sequenced-packet sockets: message boundaries, truncation, peeking,
// addressing (sendto, connect, AF_UNSPEC), the receive-queue limit, SCM_RIGHTS in flight,
// options, and socket(2)'s family/type/protocol checks.
#include "kernel/fs/pipe.h"
#include "tests/support/net_test_support.h"

namespace kernel::net {
namespace {

using testing::NetTest;
namespace ev = fs::ev;

class UnixDgramTest : public NetTest {};

TEST_F(UnixDgramTest, MessagesKeepTheirBoundaries) {
  for (int type : {kSockDgram, kSockSeqpacket}) {
    SCOPED_TRACE(type);
    auto [a, b] = Pair(type);
    ASSERT_EQ(Send(*a, "first").value(), 5u);
    ASSERT_EQ(Send(*a, "second message").value(), 14u);
    ASSERT_EQ(Send(*a, "").value(), 0u);
    EXPECT_EQ(S(*b).BytesReadable(), 5u) << "the next message's size";
    EXPECT_EQ(Recv(*b, 64, msg::kPeek).value(), "first");
    EXPECT_EQ(Recv(*b).value(), "first");
    Received r;
    Result<std::string> t = Recv(*b, 6, msg::kTrunc, &r);
    ASSERT_TRUE(t.ok());
    EXPECT_TRUE(r.msg_flags & msg::kTrunc);
    EXPECT_EQ(t.value(), "second") << "six bytes copied, the rest of the message dropped";
    EXPECT_EQ(Recv(*b).value(), "") << "an empty message";
    EXPECT_EQ(RecvErr(*b, msg::kDontWait), Errno::kEAGAIN);
    a = nullptr;
    if (type == kSockDgram) {
      EXPECT_EQ(RecvErr(*b, msg::kDontWait), Errno::kEAGAIN);
    } else {
      EXPECT_EQ(Recv(*b, 64, msg::kDontWait).value(), "");
    }
  }
}

TEST_F(UnixDgramTest, TruncReportsTheRealLength) {
  auto [a, b] = Pair(kSockDgram);
  ASSERT_TRUE(Send(*a, "0123456789").ok());
  std::string buf(4, '\0');
  fs::IoBuffer io = fs::IoBuffer::Kernel(buf.data(), buf.size());
  RecvRequest req;
  req.data = &io;
  req.flags = msg::kTrunc;
  EXPECT_EQ(S(*b).Receive(req).value(), 10u);
  EXPECT_EQ(buf, "0123");
}

TEST_F(UnixDgramTest, SendtoNamedSocketsAndRecvfromTheSender) {
  lib::RefPtr<fs::File> server = Sock(kSockDgram);
  ASSERT_TRUE(Bind(*server, PathAddr("/log")).ok());
  lib::RefPtr<fs::File> client = Sock(kSockDgram);
  SockAddr to = PathAddr("/log");
  EXPECT_EQ(SendErr(*client, "x"), Errno::kENOTCONN);
  ASSERT_EQ(Send(*client, "<13>hello", 0, &to).value(), 9u);
  Received r;
  EXPECT_EQ(Recv(*server, 64, 0, &r).value(), "<13>hello");
  EXPECT_EQ(r.from.len, 0u) << "an unnamed sender";
  ASSERT_TRUE(Bind(*client, AbstractAddr("cli")).ok());
  ASSERT_TRUE(Send(*client, "again", 0, &to).ok());
  EXPECT_EQ(Recv(*server, 64, 0, &r).value(), "again");
  EXPECT_EQ(NameOf(r.from), std::string("\0cli", 4));
  // connect sets the default destination; AF_UNSPEC clears it.
  ASSERT_TRUE(Connect(*client, to).ok());
  ASSERT_TRUE(Send(*client, "connected").ok());
  EXPECT_EQ(Recv(*server).value(), "connected");
  SockAddr unspec;
  unspec.len = 2;
  ASSERT_TRUE(Connect(*client, unspec).ok());
  EXPECT_EQ(SendErr(*client, "x"), Errno::kENOTCONN);
  SockAddr nowhere = PathAddr("/nowhere");
  EXPECT_EQ(SendErr(*client, "x", 0, &nowhere), Errno::kENOENT);
  SockAddr badfam = to;
  badfam.bytes[0] = 7;
  EXPECT_EQ(SendErr(*client, "x", 0, &badfam), Errno::kEINVAL);
  lib::RefPtr<fs::File> stream = Sock(kSockStream);
  ASSERT_TRUE(Bind(*stream, AbstractAddr("st")).ok());
  SockAddr st = AbstractAddr("st");
  EXPECT_EQ(SendErr(*client, "x", 0, &st), Errno::kEPROTOTYPE);
}

TEST_F(UnixDgramTest, ASocketConnectedElsewhereRefusesOthers) {
  lib::RefPtr<fs::File> a = Sock(kSockDgram);
  lib::RefPtr<fs::File> b = Sock(kSockDgram);
  lib::RefPtr<fs::File> c = Sock(kSockDgram);
  ASSERT_TRUE(Bind(*a, AbstractAddr("a")).ok());
  ASSERT_TRUE(Bind(*b, AbstractAddr("b")).ok());
  ASSERT_TRUE(Connect(*a, AbstractAddr("b")).ok());
  SockAddr to_a = AbstractAddr("a");
  EXPECT_EQ(SendErr(*c, "x", 0, &to_a), Errno::kEPERM) << "a talks only to b";
  EXPECT_EQ(Connect(*c, to_a).error(), Errno::kEPERM);
  EXPECT_TRUE(Send(*b, "from b", 0, &to_a).ok());
  EXPECT_EQ(Recv(*a).value(), "from b");
}

TEST_F(UnixDgramTest, PeerGoneIsRefusedOnceThenNotConnected) {
  lib::RefPtr<fs::File> server = Sock(kSockDgram);
  ASSERT_TRUE(Bind(*server, AbstractAddr("srv")).ok());
  lib::RefPtr<fs::File> client = Sock(kSockDgram);
  ASSERT_TRUE(Connect(*client, AbstractAddr("srv")).ok());
  server = nullptr;
  EXPECT_EQ(SendErr(*client, "x"), Errno::kECONNREFUSED);
  EXPECT_EQ(SendErr(*client, "x"), Errno::kENOTCONN);
}

TEST_F(UnixDgramTest, ReceiverQueueLimitsUnconnectedSenders) {
  lib::RefPtr<fs::File> server = Sock(kSockDgram);
  ASSERT_TRUE(Bind(*server, AbstractAddr("q")).ok());
  lib::RefPtr<fs::File> client = Sock(kSockDgram, fs::o::kNonBlock);
  ASSERT_TRUE(Connect(*client, AbstractAddr("q")).ok());
  usize sent = 0;
  while (Send(*client, "m").ok()) ++sent;
  EXPECT_EQ(sent, usize{kMaxDgramQlen} + 1) << "max_dgram_qlen, and one more (unix_recvq_full)";
  EXPECT_EQ(SendErr(*client, "m"), Errno::kEAGAIN);
  EXPECT_FALSE(client->Poll() & ev::kOut);
  // A blocked sender wakes when the receiver reads.
  lib::RefPtr<fs::File> blocking = Sock(kSockDgram);
  ASSERT_TRUE(Connect(*blocking, AbstractAddr("q")).ok());
  bool done = false;
  Spawn("sender", [&] {
    EXPECT_TRUE(Send(*blocking, "late").ok());
    done = true;
  });
  proc::sched::Yield();
  EXPECT_FALSE(done);
  ASSERT_TRUE(Recv(*server).ok());
  ASSERT_TRUE(RunUntil([&] { return done; }));
  // Too big for the send buffer at all.
  std::string huge(kWmemDefault, 'h');
  EXPECT_EQ(SendErr(*client, huge), Errno::kEMSGSIZE);
}

TEST_F(UnixDgramTest, RightsTravelAndCloseWithTheMessage) {
  auto [a, b] = Pair(kSockDgram);
  fs::PipeEnds p = fs::CreatePipe(fs::o::kNonBlock, 0, 0).value();
  Ancillary anc;
  ASSERT_TRUE(anc.files.TryPush(p.write).ok());
  ASSERT_TRUE(Send(*a, "fd", 0, nullptr, &anc).ok());
  EXPECT_TRUE(anc.files.empty());
  p.write = nullptr;  // the sender closes its descriptor: the file is in flight
  EXPECT_EQ(fs::testing::FsTest::Read(*p.read).error(), Errno::kEAGAIN) << "still open";
  Received peeked;
  ASSERT_TRUE(Recv(*b, 64, msg::kPeek, &peeked).ok());
  ASSERT_EQ(peeked.files.size(), 1u);
  peeked.files = FileList();
  Received r;
  ASSERT_EQ(Recv(*b, 64, 0, &r).value(), "fd");
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_EQ(fs::testing::FsTest::Write(*r.files[0], "through").value(), 7u);
  EXPECT_EQ(fs::testing::FsTest::Read(*p.read).value(), "through");
  r.files = FileList();
  EXPECT_EQ(fs::testing::FsTest::Read(*p.read).value(), "") << "the last writer closed";
  // A receiver that closes unread drops what was in flight.
  fs::PipeEnds q = fs::CreatePipe(fs::o::kNonBlock, 0, 0).value();
  Ancillary anc2;
  ASSERT_TRUE(anc2.files.TryPush(q.write).ok());
  ASSERT_TRUE(Send(*a, "fd", 0, nullptr, &anc2).ok());
  q.write = nullptr;
  EXPECT_EQ(fs::testing::FsTest::Read(*q.read).error(), Errno::kEAGAIN);
  b = nullptr;
  EXPECT_EQ(fs::testing::FsTest::Read(*q.read).value(), "") << "closed with the message";
}

TEST_F(UnixDgramTest, StreamRightsStopTheRead) {
  auto [a, b] = Pair(kSockStream);
  fs::PipeEnds p = fs::CreatePipe(0, 0, 0).value();
  ASSERT_TRUE(Send(*a, "before").ok());
  Ancillary anc;
  ASSERT_TRUE(anc.files.TryPush(p.read).ok());
  ASSERT_TRUE(Send(*a, "with", 0, nullptr, &anc).ok());
  ASSERT_TRUE(Send(*a, "after").ok());
  Received r;
  EXPECT_EQ(Recv(*b, 64, 0, &r).value(), "beforewith") << "a read ends after the files";
  EXPECT_EQ(r.files.size(), 1u);
  EXPECT_EQ(Recv(*b, 64, 0, &r).value(), "after");
}

TEST_F(UnixDgramTest, SocketSentThroughItselfIsFreedWithIt) {
  // The classic cycle: a socket's own file in its own receive queue. Closing it must not
  // leak (the fixture checks the heap).
  auto [a, b] = Pair(kSockDgram);
  Ancillary anc;
  ASSERT_TRUE(anc.files.TryPush(b).ok());
  ASSERT_TRUE(Send(*a, "self", 0, nullptr, &anc).ok());
  b = nullptr;
  a = nullptr;
  EXPECT_TRUE(true);
}

TEST_F(UnixDgramTest, Options) {
  lib::RefPtr<fs::File> s = Sock(kSockSeqpacket);
  auto get = [&](int name) {
    OptionValue v;
    Result<void> r = S(*s).GetOption(kSolSocket, name, v);
    int x = -1;
    if (r.ok()) __builtin_memcpy(&x, v.bytes, sizeof(x));
    return r.ok() ? x : -static_cast<int>(r.error());
  };
  auto set = [&](int name, int x, u32 len = sizeof(int), bool privileged = false) {
    OptionValue v;
    __builtin_memcpy(v.bytes, &x, sizeof(x));
    v.len = len;
    Result<void> r = S(*s).SetOption(kSolSocket, name, v, privileged);
    return r.ok() ? 0 : -static_cast<int>(r.error());
  };
  EXPECT_EQ(get(so::kType), kSockSeqpacket);
  EXPECT_EQ(get(so::kDomain), kAfUnix);
  EXPECT_EQ(get(so::kProtocol), 0);
  EXPECT_EQ(get(so::kError), 0);
  EXPECT_EQ(get(so::kSndBuf), static_cast<int>(kWmemDefault));
  EXPECT_EQ(get(9999), -static_cast<int>(Errno::kENOPROTOOPT));
  OptionValue v;
  EXPECT_EQ(S(*s).GetOption(9999, so::kType, v).error(), Errno::kEOPNOTSUPP);
  EXPECT_EQ(set(so::kType, 1), -static_cast<int>(Errno::kENOPROTOOPT));
  EXPECT_EQ(set(so::kRcvBuf, 1, 1), -static_cast<int>(Errno::kEINVAL));
  EXPECT_EQ(set(so::kSndBuf, 65536), 0);
  EXPECT_EQ(get(so::kSndBuf), 131072) << "doubled";
  EXPECT_EQ(set(so::kSndBuf, 1), 0);
  EXPECT_EQ(get(so::kSndBuf), static_cast<int>(kSockMinSndBuf));
  EXPECT_EQ(set(so::kSndBuf, -1), 0);
  EXPECT_EQ(get(so::kSndBuf), static_cast<int>(2 * kWmemMax)) << "capped at wmem_max";
  EXPECT_EQ(set(so::kRcvBufForce, 1 << 20), -static_cast<int>(Errno::kEPERM));
  EXPECT_EQ(set(so::kRcvBufForce, 1 << 20, sizeof(int), true), 0);
  EXPECT_EQ(get(so::kRcvBuf), 2 << 20);
  EXPECT_EQ(set(so::kReuseAddr, 1), 0);
  EXPECT_EQ(get(so::kReuseAddr), 1);
  EXPECT_EQ(set(so::kPassCred, 5), 0);
  EXPECT_EQ(get(so::kPassCred), 1);
  EXPECT_EQ(set(so::kKeepAlive, 1), 0);
  EXPECT_EQ(get(so::kKeepAlive), 1);
  // Timeouts are struct timeval.
  Timeval tv{1, 500000};
  OptionValue tvv;
  __builtin_memcpy(tvv.bytes, &tv, sizeof(tv));
  tvv.len = sizeof(tv);
  ASSERT_TRUE(S(*s).SetOption(kSolSocket, so::kSndTimeo, tvv, false).ok());
  ASSERT_TRUE(S(*s).GetOption(kSolSocket, so::kSndTimeo, v).ok());
  Timeval back;
  __builtin_memcpy(&back, v.bytes, sizeof(back));
  EXPECT_EQ(back.sec, 1);
  EXPECT_EQ(back.usec, 500000);
  tv.usec = 1000000;
  __builtin_memcpy(tvv.bytes, &tv, sizeof(tv));
  EXPECT_EQ(S(*s).SetOption(kSolSocket, so::kSndTimeo, tvv, false).error(), Errno::kEDOM);
  tvv.len = 8;
  EXPECT_EQ(S(*s).SetOption(kSolSocket, so::kSndTimeo, tvv, false).error(), Errno::kEINVAL);
}

TEST_F(UnixDgramTest, FamilyTypeAndProtocolChecks) {
  EXPECT_EQ(CreateSocket(kAfInet, kSockStream, 0).error(), Errno::kEAFNOSUPPORT);
  EXPECT_EQ(CreateSocket(kAfInet6, kSockDgram, 0).error(), Errno::kEAFNOSUPPORT);
  EXPECT_EQ(CreateSocket(kAfNetlink, kSockDgram, 0).error(), Errno::kEAFNOSUPPORT);
  EXPECT_EQ(CreateSocket(-1, kSockStream, 0).error(), Errno::kEAFNOSUPPORT);
  EXPECT_EQ(CreateSocket(9999, kSockStream, 0).error(), Errno::kEAFNOSUPPORT);
  EXPECT_EQ(CreateSocket(kAfUnix, 11, 0).error(), Errno::kEINVAL);
  EXPECT_EQ(CreateSocket(kAfUnix, 0, 0).error(), Errno::kESOCKTNOSUPPORT);
  EXPECT_EQ(CreateSocket(kAfUnix, kSockRdm, 0).error(), Errno::kESOCKTNOSUPPORT);
  EXPECT_EQ(CreateSocket(kAfUnix, kSockPacket, 0).error(), Errno::kESOCKTNOSUPPORT);
  EXPECT_EQ(CreateSocket(kAfUnix, kSockStream, 7).error(), Errno::kEPROTONOSUPPORT);
  EXPECT_TRUE(CreateSocket(kAfUnix, kSockStream, kAfUnix).ok()) << "PF_UNIX is the protocol";
  lib::RefPtr<Socket> raw = CreateSocket(kAfUnix, kSockRaw, 0).value();
  EXPECT_EQ(raw->type(), kSockDgram) << "SOCK_RAW is a datagram socket";
  EXPECT_EQ(CreateSocketPair(kAfInet, kSockStream, 0).error(), Errno::kEOPNOTSUPP);
  EXPECT_EQ(CreateSocketPair(kAfNetlink, kSockDgram, 0).error(), Errno::kEAFNOSUPPORT);
  EXPECT_EQ(CreateSocketPair(kAfUnix, kSockStream, 7).error(), Errno::kEPROTONOSUPPORT);
  // A pair made without files must still be freed (the fixture checks for leaks).
  SocketPair p = CreateSocketPair(kAfUnix, kSockStream, 0).value();
  p.a->Close();
  p.b->Close();
}

}  // namespace
}  // namespace kernel::net
