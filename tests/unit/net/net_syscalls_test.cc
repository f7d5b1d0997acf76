// The socket system calls (kernel/syscalls/net*.cc) with real user memory: argument checks
// (EFAULT, EINVAL, ENOTSOCK, EBADF), address and option lengths, and sendmsg/recvmsg with
// control messages (SCM_RIGHTS, SCM_CREDENTIALS, MSG_CTRUNC, MSG_CMSG_CLOEXEC).
#include <cstring>
#include <vector>

#include "kernel/mm/address_space.h"
#include "kernel/mm/mman.h"
#include "kernel/syscalls/net.h"
#include "tests/support/net_test_support.h"

namespace kernel::net {
namespace {

using namespace kernel::syscalls;  // NOLINT: the handlers under test
using testing::NetTest;

class NetSyscallTest : public NetTest {
 protected:
  static constexpr usize kArena = 16 * kPageSize;

  void SetUp() override {
    NetTest::SetUp();
    as_ = mm::AddressSpace::Create().value();
    mm::MapRequest r;
    r.length = kArena;
    r.prot = mm::prot::kRead | mm::prot::kWrite;
    base_ = as_->Map(r).value();
    next_ = base_;
    task_->SetAddressSpace(as_);
  }
  void TearDown() override {
    task_->SetAddressSpace(nullptr);
    as_ = nullptr;
    NetTest::TearDown();
  }

  // User memory: a bump allocator over the arena.
  u64 Alloc(usize n) {
    u64 a = next_;
    next_ += (n + 15) & ~usize{15};
    EXPECT_LE(next_, base_ + kArena);
    std::vector<u8> zero(n, 0);
    if (n > 0) {
      EXPECT_TRUE(mm::CopyToUser(a, zero.data(), n).ok());
    }
    return a;
  }
  u64 Put(const void* data, usize n) {
    u64 a = Alloc(n);
    EXPECT_TRUE(mm::CopyToUser(a, data, n).ok());
    return a;
  }
  template <typename T>
  u64 PutValue(const T& v) {
    return Put(&v, sizeof(v));
  }
  template <typename T>
  T Get(u64 addr) {
    T v{};
    EXPECT_TRUE(mm::CopyFromUser(&v, addr, sizeof(v)).ok());
    return v;
  }
  std::string GetBytes(u64 addr, usize n) {
    std::string s(n, '\0');
    EXPECT_TRUE(mm::CopyFromUser(s.data(), addr, n).ok());
    return s;
  }
  u64 PutAddr(const SockAddr& a) { return Put(a.bytes, a.len); }

  std::pair<int, int> SysPair(int type) {
    u64 sv = Alloc(8);
    EXPECT_TRUE(sys_socketpair(*task_, kAfUnix, type, 0, UserOut<int>(sv)).ok());
    return {Get<int>(sv), Get<int>(sv + 4)};
  }
  isize SendStr(int fd, const std::string& s, u32 flags = 0) {
    u64 b = Put(s.data(), s.size());
    Result<isize> r =
        sys_sendto(*task_, Fd{fd}, UserIn<u8>(b), s.size(), Hex{flags}, UserIn<u8>(0), 0);
    return r.ok() ? r.value() : -static_cast<isize>(r.error());
  }

  lib::RefPtr<mm::AddressSpace> as_;
  u64 base_ = 0;
  u64 next_ = 0;
};

constexpr u64 kBadPtr = 0x10;  // never mapped

TEST_F(NetSyscallTest, SocketAndSocketpairArguments) {
  Result<Fd> s = sys_socket(*task_, kAfUnix, kSockStream | kSockCloexec | kSockNonblock, 0);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(fds_->GetFdFlags(s.value().value).value(), fs::kFdCloexec);
  EXPECT_TRUE(fds_->Get(s.value().value).value()->nonblocking());
  EXPECT_TRUE(IsSocket(*fds_->Get(s.value().value).value()));
  EXPECT_EQ(sys_socket(*task_, kAfUnix, kSockStream | 0x40000000, 0).error(), Errno::kEINVAL);
  EXPECT_EQ(sys_socket(*task_, kAfInet, kSockStream, 0).error(), Errno::kEAFNOSUPPORT);
  EXPECT_EQ(sys_socket(*task_, kAfNetlink, kSockRaw, 0).error(), Errno::kEAFNOSUPPORT);
  EXPECT_EQ(sys_socket(*task_, kAfUnix, 99, 0).error(), Errno::kEINVAL);
  usize open = fds_->open_count();
  EXPECT_EQ(sys_socketpair(*task_, kAfUnix, kSockStream, 0, UserOut<int>(kBadPtr)).error(),
            Errno::kEFAULT);
  EXPECT_EQ(fds_->open_count(), open) << "nothing installed after EFAULT";
  EXPECT_EQ(sys_socketpair(*task_, kAfInet, kSockStream, 0, UserOut<int>(Alloc(8))).error(),
            Errno::kEOPNOTSUPP);
  EXPECT_EQ(sys_socketpair(*task_, 9999, kSockStream, 0, UserOut<int>(Alloc(8))).error(),
            Errno::kEAFNOSUPPORT);
  auto [a, b] = SysPair(kSockStream);
  EXPECT_NE(a, b);
  EXPECT_EQ(SendStr(a, "x"), 1);
}

TEST_F(NetSyscallTest, NonSocketsAndBadDescriptors) {
  ASSERT_TRUE(WriteFile("/f", "x").ok());
  int f = fds_->Install(OpenPath("/f", fs::o::kRdOnly).value(), 0).value();
  u64 buf = Alloc(16);
  u64 len = PutValue<int>(16);
  EXPECT_EQ(
      sys_recvfrom(*task_, Fd{f}, UserOut<u8>(buf), 1, Hex{0}, UserOut<u8>(0), UserInOut<int>(0))
          .error(),
      Errno::kENOTSOCK);
  EXPECT_EQ(SendStr(f, "x"), -static_cast<isize>(Errno::kENOTSOCK));
  EXPECT_EQ(sys_shutdown(*task_, Fd{f}, kShutRd).error(), Errno::kENOTSOCK);
  EXPECT_EQ(sys_listen(*task_, Fd{f}, 1).error(), Errno::kENOTSOCK);
  EXPECT_EQ(sys_accept(*task_, Fd{f}, UserOut<u8>(0), UserInOut<int>(0)).error(), Errno::kENOTSOCK);
  EXPECT_EQ(
      sys_getsockopt(*task_, Fd{f}, kSolSocket, so::kType, UserOut<u8>(buf), UserInOut<int>(len))
          .error(),
      Errno::kENOTSOCK);
  EXPECT_EQ(sys_bind(*task_, Fd{f}, UserIn<u8>(buf), 4).error(), Errno::kENOTSOCK);
  EXPECT_EQ(sys_connect(*task_, Fd{f}, UserIn<u8>(buf), 4).error(), Errno::kENOTSOCK);
  EXPECT_EQ(sys_getsockname(*task_, Fd{f}, UserOut<u8>(buf), UserInOut<int>(len)).error(),
            Errno::kENOTSOCK);
  EXPECT_EQ(SendStr(999, "x"), -static_cast<isize>(Errno::kEBADF));
  EXPECT_EQ(sys_listen(*task_, Fd{-1}, 1).error(), Errno::kEBADF);
}

TEST_F(NetSyscallTest, AddressLengthsAndPointers) {
  int s = sys_socket(*task_, kAfUnix, kSockStream, 0).value().value;
  SockAddr a = PathAddr("/s");
  u64 ua = PutAddr(a);
  EXPECT_EQ(sys_bind(*task_, Fd{s}, UserIn<u8>(ua), -1).error(), Errno::kEINVAL);
  EXPECT_EQ(sys_bind(*task_, Fd{s}, UserIn<u8>(ua), 129).error(), Errno::kEINVAL);
  EXPECT_EQ(sys_bind(*task_, Fd{s}, UserIn<u8>(kBadPtr), 10).error(), Errno::kEFAULT);
  EXPECT_EQ(sys_bind(*task_, Fd{s}, UserIn<u8>(ua), 111).error(), Errno::kEINVAL)
      << "past sockaddr_un";
  ASSERT_TRUE(sys_bind(*task_, Fd{s}, UserIn<u8>(ua), static_cast<int>(a.len)).ok());
  // getsockname copies what fits and reports the whole length.
  u64 out = Alloc(128);
  u64 len = PutValue<int>(3);
  ASSERT_TRUE(sys_getsockname(*task_, Fd{s}, UserOut<u8>(out), UserInOut<int>(len)).ok());
  EXPECT_EQ(Get<int>(len), 5);
  EXPECT_EQ(GetBytes(out, 4), std::string("\x01\x00/\x00", 4)) << "three bytes copied, no more";
  len = PutValue<int>(-1);
  EXPECT_EQ(sys_getsockname(*task_, Fd{s}, UserOut<u8>(out), UserInOut<int>(len)).error(),
            Errno::kEINVAL);
  EXPECT_EQ(sys_getsockname(*task_, Fd{s}, UserOut<u8>(out), UserInOut<int>(kBadPtr)).error(),
            Errno::kEFAULT);
  len = PutValue<int>(128);
  EXPECT_EQ(sys_getsockname(*task_, Fd{s}, UserOut<u8>(kBadPtr), UserInOut<int>(len)).error(),
            Errno::kEFAULT);
  EXPECT_EQ(sys_getpeername(*task_, Fd{s}, UserOut<u8>(out), UserInOut<int>(len)).error(),
            Errno::kENOTCONN);
  // connect + accept4 with flags and an address out.
  ASSERT_TRUE(sys_listen(*task_, Fd{s}, 2).ok());
  int c = sys_socket(*task_, kAfUnix, kSockStream, 0).value().value;
  ASSERT_TRUE(sys_connect(*task_, Fd{c}, UserIn<u8>(ua), static_cast<int>(a.len)).ok());
  EXPECT_EQ(sys_accept4(*task_, Fd{s}, UserOut<u8>(0), UserInOut<int>(0), Hex{0x1234}).error(),
            Errno::kEINVAL);
  len = PutValue<int>(128);
  Result<Fd> conn = sys_accept4(*task_, Fd{s}, UserOut<u8>(out), UserInOut<int>(len),
                                Hex{kSockCloexec | kSockNonblock});
  ASSERT_TRUE(conn.ok());
  EXPECT_EQ(Get<int>(len), 2) << "the client is unnamed: just the family";
  EXPECT_EQ(fds_->GetFdFlags(conn.value().value).value(), fs::kFdCloexec);
  EXPECT_TRUE(fds_->Get(conn.value().value).value()->nonblocking());
  EXPECT_EQ(sys_shutdown(*task_, conn.value(), 3).error(), Errno::kEINVAL);
  EXPECT_EQ(sys_shutdown(*task_, conn.value(), -1).error(), Errno::kEINVAL);
}

TEST_F(NetSyscallTest, SocketOptionLengths) {
  auto [a, b] = SysPair(kSockSeqpacket);
  u64 v = PutValue<int>(-1);
  u64 len = PutValue<int>(1);
  ASSERT_TRUE(
      sys_getsockopt(*task_, Fd{a}, kSolSocket, so::kType, UserOut<u8>(v), UserInOut<int>(len))
          .ok());
  EXPECT_EQ(Get<int>(len), 1) << "a short length truncates";
  EXPECT_EQ(Get<u8>(v), kSockSeqpacket);
  len = PutValue<int>(64);
  ASSERT_TRUE(sys_getsockopt(*task_, Fd{a}, kSolSocket, so::kPeerCred, UserOut<u8>(Alloc(64)),
                             UserInOut<int>(len))
                  .ok());
  EXPECT_EQ(Get<int>(len), 12);
  len = PutValue<int>(-5);
  EXPECT_EQ(
      sys_getsockopt(*task_, Fd{a}, kSolSocket, so::kType, UserOut<u8>(v), UserInOut<int>(len))
          .error(),
      Errno::kEINVAL);
  len = PutValue<int>(4);
  EXPECT_EQ(
      sys_getsockopt(*task_, Fd{a}, 9999, so::kType, UserOut<u8>(v), UserInOut<int>(len)).error(),
      Errno::kEOPNOTSUPP);
  EXPECT_EQ(sys_getsockopt(*task_, Fd{a}, kSolSocket, so::kType, UserOut<u8>(kBadPtr),
                           UserInOut<int>(len))
                .error(),
            Errno::kEFAULT);
  u64 one = PutValue<int>(1);
  EXPECT_EQ(sys_setsockopt(*task_, Fd{a}, kSolSocket, so::kPassCred, UserIn<u8>(one), -1).error(),
            Errno::kEINVAL);
  EXPECT_EQ(sys_setsockopt(*task_, Fd{a}, kSolSocket, so::kPassCred, UserIn<u8>(one), 2).error(),
            Errno::kEINVAL);
  EXPECT_EQ(
      sys_setsockopt(*task_, Fd{a}, kSolSocket, so::kPassCred, UserIn<u8>(kBadPtr), 4).error(),
      Errno::kEFAULT);
  EXPECT_EQ(sys_setsockopt(*task_, Fd{a}, 6, 1, UserIn<u8>(one), 4).error(), Errno::kEOPNOTSUPP);
  EXPECT_TRUE(sys_setsockopt(*task_, Fd{a}, kSolSocket, so::kReuseAddr, UserIn<u8>(one), 4).ok());
}

// Builds a msghdr in user memory: one iovec over `data`, and `control` as the control buffer
// (with `control_room` bytes of space for a receive).
struct UserMsg {
  u64 hdr;
  u64 buf;
  u64 control;
};

class NetMsgTest : public NetSyscallTest {
 protected:
  UserMsg MakeMsg(const std::string& data, usize buf_room, const std::vector<u8>& control,
                  usize control_room, u64 name = 0, u32 namelen = 0) {
    UserMsg m{};
    m.buf = Alloc(buf_room);
    if (!data.empty()) {
      EXPECT_TRUE(mm::CopyToUser(m.buf, data.data(), data.size()).ok());
    }
    fs::IoSegment seg{m.buf, data.empty() ? buf_room : data.size()};
    u64 iov = PutValue(seg);
    m.control = control_room > 0 ? Alloc(control_room) : 0;
    if (!control.empty()) {
      EXPECT_TRUE(mm::CopyToUser(m.control, control.data(), control.size()).ok());
    }
    MsgHdr h{};
    h.name = name;
    h.namelen = namelen;
    h.iov = iov;
    h.iovlen = 1;
    h.control = m.control;
    h.controllen = control_room;
    m.hdr = PutValue(h);
    return m;
  }
  static std::vector<u8> Cmsg(int level, int type, const void* data, usize n,
                              usize len_override = 0) {
    std::vector<u8> out(CmsgSpace(n), 0);
    CmsgHdr h{len_override != 0 ? len_override : CmsgLen(n), level, type};
    std::memcpy(out.data(), &h, sizeof(h));
    std::memcpy(out.data() + sizeof(h), data, n);
    return out;
  }
  Result<isize> SendMsg(int fd, const std::string& data, const std::vector<u8>& control,
                        u32 flags = 0) {
    UserMsg m = MakeMsg(data, data.size(), control, control.size());
    return sys_sendmsg(*task_, Fd{fd}, UserIn<MsgHdr>(m.hdr), Hex{flags});
  }
};

TEST_F(NetMsgTest, RightsArriveAsNewDescriptors) {
  auto [a, b] = SysPair(kSockStream);
  ASSERT_TRUE(WriteFile("/f", "0123456789").ok());
  lib::RefPtr<fs::File> f = OpenPath("/f", fs::o::kRdOnly).value();
  f->set_pos(4);
  int fd = fds_->Install(f, 0).value();
  int two[2] = {fd, fd};
  ASSERT_EQ(SendMsg(a, "x", Cmsg(kSolSocket, kScmRights, two, sizeof(two))).value(), 1);
  UserMsg m = MakeMsg("", 8, {}, CmsgSpace(2 * sizeof(int)));
  ASSERT_EQ(sys_recvmsg(*task_, Fd{b}, UserInOut<MsgHdr>(m.hdr), Hex{msg::kCmsgCloexec}).value(),
            1);
  MsgHdr h = Get<MsgHdr>(m.hdr);
  EXPECT_EQ(h.controllen, CmsgSpace(2 * sizeof(int)));
  EXPECT_EQ(static_cast<u32>(h.flags), msg::kCmsgCloexec) << "no truncation";
  CmsgHdr c = Get<CmsgHdr>(m.control);
  EXPECT_EQ(c.len, CmsgLen(2 * sizeof(int)));
  EXPECT_EQ(c.level, kSolSocket);
  EXPECT_EQ(c.type, kScmRights);
  int got = Get<int>(m.control + sizeof(CmsgHdr));
  EXPECT_EQ(fds_->Get(got).value().get(), f.get()) << "the same open file description";
  EXPECT_EQ(fds_->GetFdFlags(got).value(), fs::kFdCloexec);
}

TEST_F(NetMsgTest, ShortControlBufferTruncatesAndClosesTheRest) {
  auto [a, b] = SysPair(kSockDgram);
  auto [p, q] = SysPair(kSockStream);
  int three[3] = {p, q, p};
  ASSERT_TRUE(SendMsg(a, "x", Cmsg(kSolSocket, kScmRights, three, sizeof(three))).ok());
  usize open = fds_->open_count();
  UserMsg m = MakeMsg("", 8, {}, CmsgLen(sizeof(int)));
  ASSERT_EQ(sys_recvmsg(*task_, Fd{b}, UserInOut<MsgHdr>(m.hdr), Hex{0}).value(), 1);
  MsgHdr h = Get<MsgHdr>(m.hdr);
  EXPECT_TRUE(static_cast<u32>(h.flags) & msg::kCtrunc);
  EXPECT_EQ(fds_->open_count(), open + 1) << "one descriptor fitted";
  // No control buffer at all: every file is dropped, MSG_CTRUNC says so.
  ASSERT_TRUE(SendMsg(a, "y", Cmsg(kSolSocket, kScmRights, three, sizeof(three))).ok());
  UserMsg none = MakeMsg("", 8, {}, 0);
  ASSERT_EQ(sys_recvmsg(*task_, Fd{b}, UserInOut<MsgHdr>(none.hdr), Hex{0}).value(), 1);
  h = Get<MsgHdr>(none.hdr);
  EXPECT_TRUE(static_cast<u32>(h.flags) & msg::kCtrunc);
  EXPECT_EQ(h.controllen, 0u);
  EXPECT_EQ(fds_->open_count(), open + 1);
}

TEST_F(NetMsgTest, ControlMessageErrors) {
  auto [a, b] = SysPair(kSockStream);
  int bad = 999;
  EXPECT_EQ(SendMsg(a, "x", Cmsg(kSolSocket, kScmRights, &bad, sizeof(bad))).error(),
            Errno::kEBADF);
  int ok = a;
  EXPECT_EQ(SendMsg(a, "x", Cmsg(kSolSocket, 99, &ok, sizeof(ok))).error(), Errno::kEINVAL);
  EXPECT_EQ(SendMsg(a, "x", Cmsg(kSolSocket, kScmRights, &ok, sizeof(ok), 200)).error(),
            Errno::kEINVAL)
      << "cmsg_len past the buffer";
  EXPECT_EQ(SendMsg(a, "x", Cmsg(kSolSocket, kScmRights, &ok, sizeof(ok), 8)).error(),
            Errno::kEINVAL)
      << "cmsg_len shorter than the header";
  EXPECT_TRUE(SendMsg(a, "x", Cmsg(6, 1, &ok, sizeof(ok))).ok()) << "other levels are skipped";
  UCred cred{0, 0, 0};
  EXPECT_EQ(SendMsg(a, "x", Cmsg(kSolSocket, kScmCredentials, &cred, 8)).error(), Errno::kEINVAL);
  std::vector<int> many(kScmMaxFd + 1, a);
  EXPECT_EQ(
      SendMsg(a, "x", Cmsg(kSolSocket, kScmRights, many.data(), many.size() * sizeof(int))).error(),
      Errno::kEINVAL);
  EXPECT_EQ(SendMsg(a, "x", {}, msg::kCmsgCompat).error(), Errno::kEINVAL);
  EXPECT_EQ(SendStr(a, "x", msg::kCmsgCompat), 1) << "send(2) ignores the flag";
  // A huge control length is ENOBUFS, a bad pointer EFAULT.
  UserMsg m = MakeMsg("x", 1, {}, 16);
  MsgHdr h = Get<MsgHdr>(m.hdr);
  h.controllen = 1 << 20;
  u64 big = PutValue(h);
  EXPECT_EQ(sys_sendmsg(*task_, Fd{a}, UserIn<MsgHdr>(big), Hex{0}).error(), Errno::kENOBUFS);
  h.controllen = 16;
  h.control = kBadPtr;
  u64 badctl = PutValue(h);
  EXPECT_EQ(sys_sendmsg(*task_, Fd{a}, UserIn<MsgHdr>(badctl), Hex{0}).error(), Errno::kEFAULT);
  h.control = 0;
  h.controllen = 0;
  h.iovlen = 1025;
  u64 manyiov = PutValue(h);
  EXPECT_EQ(sys_sendmsg(*task_, Fd{a}, UserIn<MsgHdr>(manyiov), Hex{0}).error(), Errno::kEMSGSIZE);
  EXPECT_EQ(sys_sendmsg(*task_, Fd{a}, UserIn<MsgHdr>(kBadPtr), Hex{0}).error(), Errno::kEFAULT);
  EXPECT_EQ(sys_recvmsg(*task_, Fd{a}, UserInOut<MsgHdr>(kBadPtr), Hex{0}).error(), Errno::kEFAULT);
  EXPECT_EQ(sys_recvmsg(*task_, Fd{a}, UserInOut<MsgHdr>(m.hdr), Hex{msg::kCmsgCompat}).error(),
            Errno::kEINVAL);
}

TEST_F(NetMsgTest, CredentialsAreCheckedAndDelivered) {
  auto [a, b] = SysPair(kSockDgram);
  u64 one = PutValue<int>(1);
  ASSERT_TRUE(sys_setsockopt(*task_, Fd{b}, kSolSocket, so::kPassCred, UserIn<u8>(one), 4).ok());
  UCred mine{0, 0, 0};
  ASSERT_TRUE(SendMsg(a, "c", Cmsg(kSolSocket, kScmCredentials, &mine, sizeof(mine))).ok());
  UserMsg m = MakeMsg("", 8, {}, CmsgSpace(sizeof(UCred)));
  ASSERT_EQ(sys_recvmsg(*task_, Fd{b}, UserInOut<MsgHdr>(m.hdr), Hex{0}).value(), 1);
  CmsgHdr c = Get<CmsgHdr>(m.control);
  EXPECT_EQ(c.type, kScmCredentials);
  EXPECT_EQ(c.len, CmsgLen(sizeof(UCred)));
  // An unprivileged sender may not claim ids it does not hold.
  task_->credentials().uid = task_->credentials().euid = task_->credentials().suid = 1000;
  UCred other{0, 0, 0};
  EXPECT_EQ(SendMsg(a, "c", Cmsg(kSolSocket, kScmCredentials, &other, sizeof(other))).error(),
            Errno::kEPERM);
  task_->credentials().uid = task_->credentials().euid = task_->credentials().suid = 0;
}

TEST_F(NetMsgTest, NamesComeBackWithTheData) {
  int server = sys_socket(*task_, kAfUnix, kSockDgram, 0).value().value;
  SockAddr sa = AbstractAddr("srv");
  ASSERT_TRUE(sys_bind(*task_, Fd{server}, UserIn<u8>(PutAddr(sa)), static_cast<int>(sa.len)).ok());
  int client = sys_socket(*task_, kAfUnix, kSockDgram, 0).value().value;
  SockAddr ca = AbstractAddr("cli");
  ASSERT_TRUE(sys_bind(*task_, Fd{client}, UserIn<u8>(PutAddr(ca)), static_cast<int>(ca.len)).ok());
  u64 data = Put("ping", 4);
  ASSERT_EQ(sys_sendto(*task_, Fd{client}, UserIn<u8>(data), 4, Hex{0}, UserIn<u8>(PutAddr(sa)),
                       static_cast<int>(sa.len))
                .value(),
            4);
  EXPECT_EQ(
      sys_sendto(*task_, Fd{client}, UserIn<u8>(data), 4, Hex{0}, UserIn<u8>(kBadPtr), 6).error(),
      Errno::kEFAULT);
  EXPECT_EQ(sys_sendto(*task_, Fd{client}, UserIn<u8>(kBadPtr), 4, Hex{0}, UserIn<u8>(PutAddr(sa)),
                       static_cast<int>(sa.len))
                .error(),
            Errno::kEFAULT);
  EXPECT_EQ(
      sys_sendto(*task_, Fd{client}, UserIn<u8>(kBadPtr), 4, Hex{0}, UserIn<u8>(0), 0).error(),
      Errno::kENOTCONN)
      << "only the range is checked before the socket";
  u64 buf = Alloc(16);
  u64 from = Alloc(128);
  u64 fromlen = PutValue<int>(128);
  ASSERT_EQ(sys_recvfrom(*task_, Fd{server}, UserOut<u8>(buf), 16, Hex{0}, UserOut<u8>(from),
                         UserInOut<int>(fromlen))
                .value(),
            4);
  EXPECT_EQ(Get<int>(fromlen), static_cast<int>(ca.len));
  EXPECT_EQ(GetBytes(from + 2, 4), std::string("\0cli", 4));
  // recvmsg fills msg_name and msg_namelen.
  ASSERT_TRUE(sys_sendto(*task_, Fd{client}, UserIn<u8>(data), 4, Hex{0}, UserIn<u8>(PutAddr(sa)),
                         static_cast<int>(sa.len))
                  .ok());
  u64 name = Alloc(128);
  UserMsg m = MakeMsg("", 16, {}, 0, name, 128);
  ASSERT_EQ(sys_recvmsg(*task_, Fd{server}, UserInOut<MsgHdr>(m.hdr), Hex{0}).value(), 4);
  EXPECT_EQ(Get<MsgHdr>(m.hdr).namelen, ca.len);
  EXPECT_EQ(GetBytes(name + 2, 4), std::string("\0cli", 4));
  EXPECT_EQ(GetBytes(m.buf, 4), "ping");
}

}  // namespace
}  // namespace kernel::net
