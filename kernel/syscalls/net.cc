#include "kernel/syscalls/net.h"

#include "kernel/net/family.h"

namespace kernel::syscalls {

namespace net_internal {

Result<net::Socket*> SocketOf(Task& task, int fd, lib::RefPtr<fs::File>& file) {
  file = TRY(GetFile(task, fd));
  return net::AsSocket(*file);
}

Result<void> CopyAddressIn(UserIn<u8> uaddr, int len, net::SockAddr& out) {
  if (len < 0 || static_cast<usize>(len) > net::kSockaddrStorage) return Errno::kEINVAL;
  out = net::SockAddr{};
  if (len == 0) return Ok();
  TRY(uaddr.ReadBytes(out.bytes, static_cast<usize>(len)));
  out.len = static_cast<u32>(len);
  return Ok();
}

Result<void> CopyAddressOut(const net::SockAddr& a, UserOut<u8> uaddr, UserInOut<int> ulen) {
  int len = TRY(ulen.Read());
  if (len > static_cast<int>(a.len)) len = static_cast<int>(a.len);
  if (len < 0) return Errno::kEINVAL;
  if (len > 0) TRY(uaddr.WriteBytes(a.bytes, static_cast<usize>(len)));
  return ulen.Write(static_cast<int>(a.len));
}

}  // namespace net_internal

namespace {

using net_internal::CopyAddressIn;
using net_internal::CopyAddressOut;
using net_internal::SocketOf;

// The flags socket/socketpair take in `type`: anything else is EINVAL.
Result<u32> SplitTypeFlags(int& type) {
  u32 flags = static_cast<u32>(type) & ~net::kSockTypeMask;
  if (flags & ~(net::kSockCloexec | net::kSockNonblock)) return Errno::kEINVAL;
  type &= static_cast<int>(net::kSockTypeMask);
  return flags;
}

u32 FdFlagsOf(u32 sock_flags) { return (sock_flags & net::kSockCloexec) ? fs::kFdCloexec : 0; }
u32 FileFlagsOf(u32 sock_flags) { return sock_flags & net::kSockNonblock; }

Result<Fd> AcceptCommon(Task& task, Fd fd, UserOut<u8> addr, UserInOut<int> addrlen, u64 flags) {
  if (flags & ~static_cast<u64>(net::kSockCloexec | net::kSockNonblock)) return Errno::kEINVAL;
  lib::RefPtr<fs::File> file;
  net::Socket* sock = TRY(SocketOf(task, fd.value, file));
  // Linux reserves the descriptor before it waits: a full table is EMFILE, not a connection
  // taken and then dropped.
  if (!task.fd_table()->HasFreeDescriptor()) return Errno::kEMFILE;
  lib::RefPtr<net::Socket> conn = TRY(sock->Accept(file->nonblocking()));
  // From here on the connection is ours: if anything fails, closing the file resets it.
  lib::RefPtr<fs::File> conn_file =
      TRY(net::MakeSocketFile(conn, FileFlagsOf(static_cast<u32>(flags))));
  if (!addr.is_null()) {
    net::SockAddr peer;
    if (conn->GetName(peer, /*peer=*/true).is_error()) return Errno::kECONNABORTED;
    TRY(CopyAddressOut(peer, addr, addrlen));
  }
  int newfd =
      TRY(task.fd_table()->Install(lib::move(conn_file), FdFlagsOf(static_cast<u32>(flags))));
  return Fd{newfd};
}

Result<void> NameCommon(Task& task, Fd fd, UserOut<u8> addr, UserInOut<int> addrlen, bool peer) {
  lib::RefPtr<fs::File> file;
  net::Socket* sock = TRY(SocketOf(task, fd.value, file));
  net::SockAddr a;
  TRY(sock->GetName(a, peer));
  return CopyAddressOut(a, addr, addrlen);
}

}  // namespace

// int socket(int domain, int type, int protocol);  [man 2 socket]
Result<Fd> sys_socket(Task& task, int family, int type, int protocol) {
  u32 flags = TRY(SplitTypeFlags(type));
  if (!task.fd_table()) return Errno::kEMFILE;
  lib::RefPtr<net::Socket> sock = TRY(net::CreateSocket(family, type, protocol));
  lib::RefPtr<fs::File> file = TRY(net::MakeSocketFile(lib::move(sock), FileFlagsOf(flags)));
  int fd = TRY(task.fd_table()->Install(lib::move(file), FdFlagsOf(flags)));
  return Fd{fd};
}

// int socketpair(int domain, int type, int protocol, int sv[2]);  [man 2 socketpair]
Result<void> sys_socketpair(Task& task, int family, int type, int protocol, UserOut<int> sv) {
  u32 flags = TRY(SplitTypeFlags(type));
  if (!task.fd_table()) return Errno::kEMFILE;
  net::SocketPair pair = TRY(net::CreateSocketPair(family, type, protocol));
  Result<lib::RefPtr<fs::File>> fa = net::MakeSocketFile(pair.a, FileFlagsOf(flags));
  Result<lib::RefPtr<fs::File>> fb = fa.is_error()
                                         ? Result<lib::RefPtr<fs::File>>(Errno::kENOMEM)
                                         : net::MakeSocketFile(pair.b, FileFlagsOf(flags));
  if (fa.is_error() || fb.is_error()) {
    // Without files nobody would release the pair, and each holds the other.
    pair.a->Close();
    pair.b->Close();
    return Errno::kENOMEM;
  }
  fs::FdTable& fds = *task.fd_table();
  int a = TRY(fds.Install(fa.release_value(), FdFlagsOf(flags)));
  Result<int> b = fds.Install(fb.release_value(), FdFlagsOf(flags));
  if (b.is_error()) {
    (void)fds.Remove(a);
    return b.error();
  }
  int both[2] = {a, b.value()};
  Result<void> w = sv.WriteArray(both, 2);
  if (w.is_error()) {
    (void)fds.Remove(a);
    (void)fds.Remove(b.value());
    return w.error();
  }
  return Ok();
}

// int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen);  [man 2 bind]
Result<void> sys_bind(Task& task, Fd fd, UserIn<u8> addr, int addrlen) {
  lib::RefPtr<fs::File> file;
  net::Socket* sock = TRY(SocketOf(task, fd.value, file));
  net::SockAddr a;
  TRY(CopyAddressIn(addr, addrlen, a));
  fs::Actor actor = TRY(ActorOf(task));
  return sock->Bind(a, &actor);
}

// int listen(int sockfd, int backlog);  [man 2 listen]
Result<void> sys_listen(Task& task, Fd fd, int backlog) {
  lib::RefPtr<fs::File> file;
  net::Socket* sock = TRY(SocketOf(task, fd.value, file));
  return sock->Listen(backlog);
}

// int accept(int sockfd, struct sockaddr *addr, socklen_t *addrlen);  [man 2 accept]
Result<Fd> sys_accept(Task& task, Fd fd, UserOut<u8> addr, UserInOut<int> addrlen) {
  return AcceptCommon(task, fd, addr, addrlen, 0);
}

// int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);
Result<Fd> sys_accept4(Task& task, Fd fd, UserOut<u8> addr, UserInOut<int> addrlen, Hex flags) {
  return AcceptCommon(task, fd, addr, addrlen, flags.value & 0xffffffffu);
}

// int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen);  [man 2 connect]
Result<void> sys_connect(Task& task, Fd fd, UserIn<u8> addr, int addrlen) {
  lib::RefPtr<fs::File> file;
  net::Socket* sock = TRY(SocketOf(task, fd.value, file));
  net::SockAddr a;
  TRY(CopyAddressIn(addr, addrlen, a));
  fs::Actor actor = TRY(ActorOf(task));
  return sock->Connect(a, file->nonblocking(), &actor);
}

// int shutdown(int sockfd, int how);  [man 2 shutdown]
Result<void> sys_shutdown(Task& task, Fd fd, int how) {
  lib::RefPtr<fs::File> file;
  net::Socket* sock = TRY(SocketOf(task, fd.value, file));
  if (how < net::kShutRd || how > net::kShutRdWr) return Errno::kEINVAL;
  return sock->Shutdown(how);
}

// int getsockname(int sockfd, struct sockaddr *addr, socklen_t *addrlen);
Result<void> sys_getsockname(Task& task, Fd fd, UserOut<u8> addr, UserInOut<int> addrlen) {
  return NameCommon(task, fd, addr, addrlen, /*peer=*/false);
}

// int getpeername(int sockfd, struct sockaddr *addr, socklen_t *addrlen);
Result<void> sys_getpeername(Task& task, Fd fd, UserOut<u8> addr, UserInOut<int> addrlen) {
  return NameCommon(task, fd, addr, addrlen, /*peer=*/true);
}

// int getsockopt(int sockfd, int level, int optname, void *optval, socklen_t *optlen);
// Copies as much of the value as *optlen allows and stores that length [net/core/sock.c].
Result<void> sys_getsockopt(Task& task, Fd fd, int level, int optname, UserOut<u8> optval,
                            UserInOut<int> optlen) {
  lib::RefPtr<fs::File> file;
  net::Socket* sock = TRY(SocketOf(task, fd.value, file));
  if (level != net::kSolSocket) return Errno::kEOPNOTSUPP;
  int len = TRY(optlen.Read());
  if (len < 0) return Errno::kEINVAL;
  net::OptionValue v;
  TRY(sock->GetOption(level, optname, v));
  u32 n = static_cast<u32>(len) < v.len ? static_cast<u32>(len) : v.len;
  if (n > 0) TRY(optval.WriteBytes(v.bytes, n));
  return optlen.Write(static_cast<int>(n));
}

// int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen);
Result<void> sys_setsockopt(Task& task, Fd fd, int level, int optname, UserIn<u8> optval,
                            int optlen) {
  if (optlen < 0) return Errno::kEINVAL;
  lib::RefPtr<fs::File> file;
  net::Socket* sock = TRY(SocketOf(task, fd.value, file));
  if (level != net::kSolSocket) return Errno::kEOPNOTSUPP;
  net::OptionValue v;
  v.len = static_cast<u32>(optlen) < net::OptionValue::kMax
              ? static_cast<u32>(optlen)
              : static_cast<u32>(net::OptionValue::kMax);
  if (v.len < sizeof(int)) return Errno::kEINVAL;
  TRY(optval.ReadBytes(v.bytes, v.len));
  bool privileged = task.credentials().euid == 0;
  return sock->SetOption(level, optname, v, privileged);
}

}  // namespace kernel::syscalls
