#pragma once
/// The Linux x86_64 socket ABI as user space sees it: address families, socket types, message
/// flags, socket options and the structures sendmsg/recvmsg exchange. Values are from the uapi
/// headers (<linux/socket.h>, <asm-generic/socket.h>, <linux/net.h>, <linux/un.h>); layouts
/// are checked by static_asserts against the x86_64 ABI.
#include <cstddef>

#include "kernel/lib/types.h"

namespace kernel::net {

// ---- address families [linux/socket.h] ----
inline constexpr int kAfUnspec = 0;
inline constexpr int kAfUnix = 1;
inline constexpr int kAfInet = 2;
inline constexpr int kAfInet6 = 10;
inline constexpr int kAfNetlink = 16;
inline constexpr int kAfPacket = 17;
/// NPROTO: families at or above this are EAFNOSUPPORT before any lookup.
inline constexpr int kAfMax = 46;

// ---- socket types [linux/net.h] ----
inline constexpr int kSockStream = 1;
inline constexpr int kSockDgram = 2;
inline constexpr int kSockRaw = 3;
inline constexpr int kSockRdm = 4;
inline constexpr int kSockSeqpacket = 5;
inline constexpr int kSockDccp = 6;
inline constexpr int kSockPacket = 10;
/// SOCK_MAX: types at or above it are EINVAL; below it, a family that lacks the type says
/// ESOCKTNOSUPPORT.
inline constexpr int kSockMax = 11;
inline constexpr u32 kSockTypeMask = 0xf;
/// Flags or-ed into the type argument of socket/socketpair and the flags of accept4.
inline constexpr u32 kSockNonblock = 04000;    // O_NONBLOCK
inline constexpr u32 kSockCloexec = 02000000;  // O_CLOEXEC

// ---- shutdown(2) ----
inline constexpr int kShutRd = 0;
inline constexpr int kShutWr = 1;
inline constexpr int kShutRdWr = 2;

// ---- message flags [linux/socket.h] ----
namespace msg {
inline constexpr u32 kOob = 0x1;
inline constexpr u32 kPeek = 0x2;
inline constexpr u32 kDontRoute = 0x4;
inline constexpr u32 kCtrunc = 0x8;
inline constexpr u32 kTrunc = 0x20;
inline constexpr u32 kDontWait = 0x40;
inline constexpr u32 kEor = 0x80;
inline constexpr u32 kWaitAll = 0x100;
inline constexpr u32 kErrQueue = 0x2000;
inline constexpr u32 kNoSignal = 0x4000;
inline constexpr u32 kMore = 0x8000;
inline constexpr u32 kWaitForOne = 0x10000;
inline constexpr u32 kCmsgCloexec = 0x40000000;
inline constexpr u32 kCmsgCompat = 0x80000000;
}  // namespace msg

// ---- socket options [asm-generic/socket.h] ----
inline constexpr int kSolSocket = 1;
namespace so {
inline constexpr int kDebug = 1;
inline constexpr int kReuseAddr = 2;
inline constexpr int kType = 3;
inline constexpr int kError = 4;
inline constexpr int kDontRoute = 5;
inline constexpr int kBroadcast = 6;
inline constexpr int kSndBuf = 7;
inline constexpr int kRcvBuf = 8;
inline constexpr int kKeepAlive = 9;
inline constexpr int kOobInline = 10;
inline constexpr int kNoCheck = 11;
inline constexpr int kPriority = 12;
inline constexpr int kLinger = 13;
inline constexpr int kBsdCompat = 14;
inline constexpr int kReusePort = 15;
inline constexpr int kPassCred = 16;
inline constexpr int kPeerCred = 17;
inline constexpr int kRcvLowat = 18;
inline constexpr int kSndLowat = 19;
inline constexpr int kRcvTimeo = 20;  // SO_RCVTIMEO_OLD: a struct timeval on x86_64
inline constexpr int kSndTimeo = 21;
inline constexpr int kTimestamp = 29;
inline constexpr int kAcceptConn = 30;
inline constexpr int kSndBufForce = 32;
inline constexpr int kRcvBufForce = 33;
inline constexpr int kProtocol = 38;
inline constexpr int kDomain = 39;
}  // namespace so

// ---- control messages ----
inline constexpr int kScmRights = 1;
inline constexpr int kScmCredentials = 2;
/// SCM_MAX_FD: the most descriptors one sendmsg may pass.
inline constexpr usize kScmMaxFd = 253;

// ---- limits and defaults (net.core sysctls as Linux ships them) ----
inline constexpr u32 kWmemDefault = 212992;
inline constexpr u32 kWmemMax = 212992;
inline constexpr u32 kRmemDefault = 212992;
inline constexpr u32 kRmemMax = 212992;
inline constexpr u32 kSockMinSndBuf = 4608;  // SOCK_MIN_SNDBUF
inline constexpr u32 kSockMinRcvBuf = 2304;  // SOCK_MIN_RCVBUF
/// net.core.somaxconn: listen(2) backlogs are capped here.
inline constexpr u32 kSoMaxConn = 4096;
/// net.unix.max_dgram_qlen: datagrams queued on a receiver before senders wait.
inline constexpr u32 kMaxDgramQlen = 10;
/// net.core.optmem_max: the largest control buffer sendmsg copies in (ENOBUFS beyond).
inline constexpr usize kOptMemMax = 20480;

// ---- structures ----
inline constexpr usize kUnixPathMax = 108;

/// struct sockaddr_un.
struct SockaddrUn {
  u16 family;
  char path[kUnixPathMax];
};
static_assert(sizeof(SockaddrUn) == 110);
/// offsetof(struct sockaddr_un, sun_path).
inline constexpr usize kSunPathOffset = 2;

/// struct sockaddr_storage: the most any address may be.
inline constexpr usize kSockaddrStorage = 128;

/// A socket address in kernel memory, as move_addr_to_kernel leaves it: the bytes the caller
/// gave (at most sizeof(sockaddr_storage)) and their count.
struct SockAddr {
  u32 len = 0;
  alignas(8) u8 bytes[kSockaddrStorage] = {};

  u16 family() const { return len >= 2 ? static_cast<u16>(bytes[0] | (bytes[1] << 8)) : 0; }
};

/// struct msghdr (x86_64).
struct MsgHdr {
  u64 name;
  u32 namelen;
  u32 pad0;
  u64 iov;
  u64 iovlen;
  u64 control;
  u64 controllen;
  i32 flags;
  u32 pad1;
};
static_assert(sizeof(MsgHdr) == 56);
static_assert(offsetof(MsgHdr, flags) == 48);

/// struct mmsghdr: one message of sendmmsg/recvmmsg and its length.
struct MMsgHdr {
  MsgHdr hdr;
  u32 len;
  u32 pad;
};
static_assert(sizeof(MMsgHdr) == 64);

/// struct cmsghdr (x86_64: cmsg_len is a size_t).
struct CmsgHdr {
  u64 len;
  i32 level;
  i32 type;
};
static_assert(sizeof(CmsgHdr) == 16);

/// CMSG_ALIGN / CMSG_LEN / CMSG_SPACE.
constexpr usize CmsgAlign(usize n) { return (n + sizeof(u64) - 1) & ~(sizeof(u64) - 1); }
constexpr usize CmsgLen(usize n) { return sizeof(CmsgHdr) + n; }
constexpr usize CmsgSpace(usize n) { return sizeof(CmsgHdr) + CmsgAlign(n); }

/// struct ucred (SO_PEERCRED, SCM_CREDENTIALS).
struct UCred {
  i32 pid;
  u32 uid;
  u32 gid;
};
static_assert(sizeof(UCred) == 12);

/// struct linger.
struct Linger {
  i32 onoff;
  i32 linger;
};

/// struct timeval (SO_RCVTIMEO_OLD / SO_SNDTIMEO_OLD on x86_64).
struct Timeval {
  i64 sec;
  i64 usec;
};
static_assert(sizeof(Timeval) == 16);

}  // namespace kernel::net
