// AF_UNIX names and connections: bind (paths, abstract names, autobind), listen, connect,
// accept, backlog limits, getsockname/getpeername, SO_PEERCRED, and the errors of each.
#include "kernel/fs/namei.h"
#include "tests/support/net_test_support.h"

namespace kernel::net {
namespace {

using testing::NetTest;
namespace ev = fs::ev;

class UnixConnectTest : public NetTest {};

TEST_F(UnixConnectTest, BindPathMakesASocketFileAndConnectAccepts) {
  lib::RefPtr<fs::File> l = Sock(kSockStream);
  SockAddr a = PathAddr("/sock");
  ASSERT_TRUE(Bind(*l, a).ok());
  fs::Path p = Lookup("/sock").value();
  EXPECT_TRUE(fs::IsSock(p.inode()->mode()));
  EXPECT_EQ(p.inode()->mode() & 0777, 0755u) << "0777 less the umask (022)";
  lib::RefPtr<fs::File> c = Sock(kSockStream);
  EXPECT_EQ(Connect(*c, a).error(), Errno::kECONNREFUSED) << "bound but not listening";
  ASSERT_TRUE(S(*l).Listen(4).ok());
  EXPECT_TRUE(Connect(*c, a).ok());
  EXPECT_TRUE(l->Poll() & ev::kIn) << "a connection waits";
  lib::RefPtr<fs::File> conn = Accept(*l);
  EXPECT_FALSE(l->Poll() & ev::kIn);
  ASSERT_TRUE(Send(*c, "hi").ok());
  EXPECT_EQ(Recv(*conn).value(), "hi");
  ASSERT_TRUE(Send(*conn, "there").ok());
  EXPECT_EQ(Recv(*c).value(), "there");
  SockAddr n;
  ASSERT_TRUE(S(*l).GetName(n, false).ok());
  EXPECT_EQ(n.len, 2u + 5u + 1u);
  EXPECT_EQ(NameOf(n), std::string("/sock\0", 6));
  ASSERT_TRUE(S(*c).GetName(n, true).ok());
  EXPECT_EQ(NameOf(n), std::string("/sock\0", 6)) << "the client's peer is the listener's name";
  ASSERT_TRUE(S(*conn).GetName(n, false).ok());
  EXPECT_EQ(NameOf(n), std::string("/sock\0", 6)) << "accepted sockets share the name";
  ASSERT_TRUE(S(*conn).GetName(n, true).ok());
  EXPECT_EQ(n.len, 2u) << "the client is unnamed";
  EXPECT_EQ(S(*l).GetName(n, true).error(), Errno::kENOTCONN);
  EXPECT_EQ(Connect(*c, a).error(), Errno::kEISCONN);
  SockAddr missing = PathAddr("/nothing-here");
  EXPECT_EQ(Connect(*c, missing).error(), Errno::kENOENT) << "the lookup comes first";
}

TEST_F(UnixConnectTest, BindErrors) {
  lib::RefPtr<fs::File> s = Sock(kSockStream);
  SockAddr a = PathAddr("/sock");
  ASSERT_TRUE(Bind(*s, a).ok());
  lib::RefPtr<fs::File> s2 = Sock(kSockStream);
  EXPECT_EQ(Bind(*s2, a).error(), Errno::kEADDRINUSE);
  EXPECT_EQ(Bind(*s, a).error(), Errno::kEADDRINUSE) << "the name is checked first";
  EXPECT_EQ(Bind(*s, PathAddr("/other")).error(), Errno::kEINVAL) << "already bound";
  EXPECT_EQ(LookupErr("/other"), Errno::kENOENT) << "the node made for it is gone again";
  SockAddr bad = a;
  bad.bytes[0] = kAfInet;
  EXPECT_EQ(Bind(*s2, bad).error(), Errno::kEINVAL);
  SockAddr tiny = a;
  tiny.len = 1;
  EXPECT_EQ(Bind(*s2, tiny).error(), Errno::kEINVAL);
  SockAddr huge = a;
  huge.len = sizeof(SockaddrUn) + 1;
  EXPECT_EQ(Bind(*s2, huge).error(), Errno::kEINVAL);
  EXPECT_EQ(Bind(*s2, PathAddr("/no/such/dir/sock")).error(), Errno::kENOENT);
  // A sun_path that fills all 108 bytes without a NUL is a 108-byte path (unix_mkname_bsd).
  std::string longname = "/" + std::string(kUnixPathMax - 1, 'n');
  SockAddr full = PathAddr(longname, /*nul=*/false);
  ASSERT_EQ(full.len, sizeof(SockaddrUn));
  lib::RefPtr<fs::File> s3 = Sock(kSockStream);
  ASSERT_TRUE(Bind(*s3, full).ok());
  SockAddr n3;
  ASSERT_TRUE(S(*s3).GetName(n3, false).ok());
  EXPECT_EQ(n3.len, sizeof(SockaddrUn) + 1) << "Linux's quirk: the added NUL counts";
  EXPECT_TRUE(Lookup(longname).ok());
  std::string okname = "/" + std::string(40, 'm');
  SockAddr unterminated = PathAddr(okname, /*nul=*/false);
  ASSERT_TRUE(Bind(*s2, unterminated).ok());
  SockAddr n;
  ASSERT_TRUE(S(*s2).GetName(n, false).ok());
  EXPECT_EQ(n.len, kSunPathOffset + okname.size() + 1) << "the kernel adds the NUL";
  // Unlinking the file leaves the socket bound but unreachable by path.
  ASSERT_TRUE(fs::Unlink(actor_, fs::kAtFdCwd, "/sock", 0).ok());
  lib::RefPtr<fs::File> c = Sock(kSockStream);
  EXPECT_EQ(Connect(*c, a).error(), Errno::kENOENT);
}

TEST_F(UnixConnectTest, ConnectErrors) {
  lib::RefPtr<fs::File> l = Sock(kSockStream);
  ASSERT_TRUE(Bind(*l, PathAddr("/l")).ok());
  ASSERT_TRUE(S(*l).Listen(1).ok());
  lib::RefPtr<fs::File> d = Sock(kSockDgram);
  EXPECT_EQ(Connect(*d, PathAddr("/l")).error(), Errno::kEPROTOTYPE);
  ASSERT_TRUE(WriteFile("/plain", "x").ok());
  lib::RefPtr<fs::File> c = Sock(kSockStream);
  EXPECT_EQ(Connect(*c, PathAddr("/plain")).error(), Errno::kECONNREFUSED) << "not a socket";
  ASSERT_TRUE(fs::MakeNode(actor_, fs::kAtFdCwd, "/stale", fs::mode::kSocket | 0777, 0).ok());
  EXPECT_EQ(Connect(*c, PathAddr("/stale")).error(), Errno::kECONNREFUSED) << "nobody bound";
  EXPECT_EQ(Connect(*c, AbstractAddr("none")).error(), Errno::kECONNREFUSED);
  SockAddr fam = PathAddr("/l");
  fam.bytes[0] = 0;
  EXPECT_EQ(Connect(*c, fam).error(), Errno::kEINVAL);
  // Write permission on the socket file is needed.
  fs::Actor user = actor_;
  user.cred = fs::Credentials::User(1000, 1000);
  ASSERT_TRUE(fs::MakeDirectory(actor_, fs::kAtFdCwd, "/priv", 0755).ok());
  lib::RefPtr<fs::File> pl = Sock(kSockStream);
  ASSERT_TRUE(Bind(*pl, PathAddr("/priv/s")).ok());
  ASSERT_TRUE(S(*pl).Listen(1).ok());
  fs::AttrChange ch;
  ch.valid = fs::AttrChange::kMode;
  ch.mode = 0700;
  ASSERT_TRUE(Lookup("/priv/s").value().inode()->SetAttr(ch).ok());
  EXPECT_EQ(S(*c).Connect(PathAddr("/priv/s"), false, &user).error(), Errno::kEACCES);
  EXPECT_TRUE(Connect(*c, PathAddr("/priv/s")).ok()) << "root may";
}

TEST_F(UnixConnectTest, ListenAndAcceptErrors) {
  lib::RefPtr<fs::File> d = Sock(kSockDgram);
  ASSERT_TRUE(Bind(*d, PathAddr("/d")).ok());
  EXPECT_EQ(S(*d).Listen(1).error(), Errno::kEOPNOTSUPP);
  EXPECT_EQ(AcceptErr(*d), Errno::kEOPNOTSUPP);
  lib::RefPtr<fs::File> s = Sock(kSockStream);
  EXPECT_EQ(S(*s).Listen(1).error(), Errno::kEINVAL) << "unbound";
  EXPECT_EQ(AcceptErr(*s), Errno::kEINVAL) << "not listening";
  auto [a, b] = Pair(kSockStream);
  EXPECT_EQ(S(*a).Listen(1).error(), Errno::kEINVAL);
  EXPECT_EQ(AcceptErr(*a), Errno::kEINVAL);
  lib::RefPtr<fs::File> l = Sock(kSockStream, fs::o::kNonBlock);
  ASSERT_TRUE(Bind(*l, PathAddr("/l")).ok());
  ASSERT_TRUE(S(*l).Listen(1).ok());
  EXPECT_EQ(AcceptErr(*l), Errno::kEAGAIN);
  ASSERT_TRUE(S(*l).Listen(-1).ok()) << "a negative backlog is the maximum";
}

TEST_F(UnixConnectTest, BacklogFullIsEagainOrWaits) {
  lib::RefPtr<fs::File> l = Sock(kSockStream);
  ASSERT_TRUE(Bind(*l, AbstractAddr("bl")).ok());
  ASSERT_TRUE(S(*l).Listen(1).ok());
  // unix_recvq_full: backlog + 1 connections may wait.
  lib::RefPtr<fs::File> c1 = Sock(kSockStream, fs::o::kNonBlock);
  lib::RefPtr<fs::File> c2 = Sock(kSockStream, fs::o::kNonBlock);
  lib::RefPtr<fs::File> c3 = Sock(kSockStream, fs::o::kNonBlock);
  ASSERT_TRUE(Connect(*c1, AbstractAddr("bl")).ok());
  ASSERT_TRUE(Connect(*c2, AbstractAddr("bl")).ok());
  EXPECT_EQ(Connect(*c3, AbstractAddr("bl")).error(), Errno::kEAGAIN);
  EXPECT_EQ(U(*l).pending_connections(), 2u);
  // A blocking connect waits until accept makes room.
  lib::RefPtr<fs::File> c4 = Sock(kSockStream);
  bool connected = false;
  Spawn("connecter", [&] {
    EXPECT_TRUE(Connect(*c4, AbstractAddr("bl")).ok());
    connected = true;
  });
  proc::sched::Yield();
  EXPECT_FALSE(connected);
  lib::RefPtr<fs::File> a1 = Accept(*l);
  ASSERT_TRUE(RunUntil([&] { return connected; }));
  ASSERT_TRUE(Send(*c1, "first").ok());
  EXPECT_EQ(Recv(*a1).value(), "first") << "connections are accepted in order";
}

TEST_F(UnixConnectTest, AcceptBlocksUntilAClientComes) {
  lib::RefPtr<fs::File> l = Sock(kSockStream);
  ASSERT_TRUE(Bind(*l, PathAddr("/srv")).ok());
  ASSERT_TRUE(S(*l).Listen(5).ok());
  lib::RefPtr<fs::File> conn;
  Spawn("server", [&] { conn = Accept(*l); });
  proc::sched::Yield();
  EXPECT_FALSE(conn);
  lib::RefPtr<fs::File> c = Sock(kSockStream);
  ASSERT_TRUE(Connect(*c, PathAddr("/srv")).ok());
  ASSERT_TRUE(RunUntil([&] { return static_cast<bool>(conn); }));
  ASSERT_TRUE(Send(*conn, "welcome").ok());
  EXPECT_EQ(Recv(*c).value(), "welcome");
}

TEST_F(UnixConnectTest, ClosingAListenerResetsWaitingConnections) {
  lib::RefPtr<fs::File> l = Sock(kSockStream);
  ASSERT_TRUE(Bind(*l, AbstractAddr("gone")).ok());
  ASSERT_TRUE(S(*l).Listen(5).ok());
  lib::RefPtr<fs::File> c = Sock(kSockStream);
  ASSERT_TRUE(Connect(*c, AbstractAddr("gone")).ok());
  ASSERT_TRUE(Send(*c, "never read").ok());
  l = nullptr;
  EXPECT_EQ(RecvErr(*c), Errno::kECONNRESET);
  EXPECT_EQ(Recv(*c).value(), "");
  EXPECT_EQ(SendErr(*c, "x", msg::kNoSignal), Errno::kEPIPE);
  lib::RefPtr<fs::File> again = Sock(kSockStream);
  EXPECT_TRUE(Bind(*again, AbstractAddr("gone")).ok()) << "the name was freed";
}

TEST_F(UnixConnectTest, AbstractNamesAndAutobind) {
  lib::RefPtr<fs::File> s = Sock(kSockDgram);
  SockAddr name = AbstractAddr("abstract");
  ASSERT_TRUE(Bind(*s, name).ok());
  lib::RefPtr<fs::File> s2 = Sock(kSockDgram);
  EXPECT_EQ(Bind(*s2, name).error(), Errno::kEADDRINUSE);
  EXPECT_EQ(Bind(*s, AbstractAddr("x")).error(), Errno::kEINVAL);
  SockAddr prefix = AbstractAddr("abs");
  EXPECT_TRUE(Bind(*s2, prefix).ok()) << "names compare by their whole length";
  EXPECT_EQ(LookupErr("/abstract"), Errno::kENOENT) << "no file for abstract names";
  // An address with only the family autobinds "\0xxxxx".
  lib::RefPtr<fs::File> s3 = Sock(kSockStream);
  SockAddr empty;
  empty.bytes[0] = kAfUnix;
  empty.len = kSunPathOffset;
  ASSERT_TRUE(Bind(*s3, empty).ok());
  SockAddr got;
  ASSERT_TRUE(S(*s3).GetName(got, false).ok());
  EXPECT_EQ(got.len, kSunPathOffset + 6);
  EXPECT_EQ(got.bytes[kSunPathOffset], 0);
  EXPECT_TRUE(Bind(*s3, empty).ok()) << "autobinding a bound socket does nothing";
  SockAddr same;
  ASSERT_TRUE(S(*s3).GetName(same, false).ok());
  EXPECT_EQ(NameOf(same), NameOf(got));
  lib::RefPtr<fs::File> s4 = Sock(kSockStream);
  ASSERT_TRUE(Bind(*s4, empty).ok());
  ASSERT_TRUE(S(*s4).GetName(same, false).ok());
  EXPECT_NE(NameOf(same), NameOf(got));
  // An unbound socket's name is just the family.
  lib::RefPtr<fs::File> s5 = Sock(kSockStream);
  ASSERT_TRUE(S(*s5).GetName(got, false).ok());
  EXPECT_EQ(got.len, kSunPathOffset);
}

TEST_F(UnixConnectTest, PeerCredentials) {
  auto [a, b] = Pair(kSockStream);
  OptionValue v;
  ASSERT_TRUE(S(*a).GetOption(kSolSocket, so::kPeerCred, v).ok());
  EXPECT_EQ(v.len, sizeof(UCred));
  UCred c;
  __builtin_memcpy(&c, v.bytes, sizeof(c));
  EXPECT_EQ(c.uid, 0u);
  lib::RefPtr<fs::File> s = Sock(kSockStream);
  ASSERT_TRUE(S(*s).GetOption(kSolSocket, so::kPeerCred, v).ok());
  __builtin_memcpy(&c, v.bytes, sizeof(c));
  EXPECT_EQ(c.pid, 0);
  EXPECT_EQ(c.uid, ~0u) << "unconnected: no peer";
  ASSERT_TRUE(S(*s).GetOption(kSolSocket, so::kAcceptConn, v).ok());
  EXPECT_EQ(v.bytes[0], 0);
  ASSERT_TRUE(Bind(*s, AbstractAddr("pc")).ok());
  ASSERT_TRUE(S(*s).Listen(1).ok());
  ASSERT_TRUE(S(*s).GetOption(kSolSocket, so::kAcceptConn, v).ok());
  EXPECT_EQ(v.bytes[0], 1);
  lib::RefPtr<fs::File> c2 = Sock(kSockStream);
  ASSERT_TRUE(Connect(*c2, AbstractAddr("pc")).ok());
  ASSERT_TRUE(S(*c2).GetOption(kSolSocket, so::kPeerCred, v).ok());
  __builtin_memcpy(&c, v.bytes, sizeof(c));
  EXPECT_EQ(c.uid, 0u) << "the listener's credentials from listen()";
}

TEST_F(UnixConnectTest, SeqpacketConnectionKeepsBoundaries) {
  lib::RefPtr<fs::File> l = Sock(kSockSeqpacket);
  ASSERT_TRUE(Bind(*l, AbstractAddr("seq")).ok());
  ASSERT_TRUE(S(*l).Listen(1).ok());
  lib::RefPtr<fs::File> c = Sock(kSockSeqpacket);
  EXPECT_EQ(SendErr(*c, "x"), Errno::kENOTCONN);
  EXPECT_EQ(RecvErr(*c), Errno::kENOTCONN);
  ASSERT_TRUE(Connect(*c, AbstractAddr("seq")).ok());
  lib::RefPtr<fs::File> conn = Accept(*l);
  ASSERT_TRUE(Send(*c, "one").ok());
  ASSERT_TRUE(Send(*c, "two").ok());
  EXPECT_EQ(Recv(*conn).value(), "one");
  EXPECT_EQ(Recv(*conn).value(), "two");
  c = nullptr;
  EXPECT_EQ(Recv(*conn).value(), "") << "EOF once the peer has gone";
  EXPECT_EQ(SendErr(*conn, "x"), Errno::kEPIPE);
}

}  // namespace
}  // namespace kernel::net
