#pragma once
// Sockets: socket, socketpair, bind, listen, accept/accept4, connect, shutdown, getsockname,
// getpeername, getsockopt, setsockopt [kernel/syscalls/net.cc], and the data transfer calls
// sendto, recvfrom, sendmsg, recvmsg [kernel/syscalls/net_msg.cc]. The sockets themselves are
// kernel/net (docs/networking.md).
#include "kernel/net/abi.h"
#include "kernel/net/socket.h"
#include "kernel/syscalls/fs_common.h"

namespace kernel::syscalls {

using proc::Task;

Result<Fd> sys_socket(Task& task, int family, int type, int protocol);
Result<void> sys_socketpair(Task& task, int family, int type, int protocol, UserOut<int> sv);
Result<void> sys_bind(Task& task, Fd fd, UserIn<u8> addr, int addrlen);
Result<void> sys_listen(Task& task, Fd fd, int backlog);
Result<Fd> sys_accept(Task& task, Fd fd, UserOut<u8> addr, UserInOut<int> addrlen);
Result<Fd> sys_accept4(Task& task, Fd fd, UserOut<u8> addr, UserInOut<int> addrlen, Hex flags);
Result<void> sys_connect(Task& task, Fd fd, UserIn<u8> addr, int addrlen);
Result<void> sys_shutdown(Task& task, Fd fd, int how);
Result<void> sys_getsockname(Task& task, Fd fd, UserOut<u8> addr, UserInOut<int> addrlen);
Result<void> sys_getpeername(Task& task, Fd fd, UserOut<u8> addr, UserInOut<int> addrlen);
Result<void> sys_getsockopt(Task& task, Fd fd, int level, int optname, UserOut<u8> optval,
                            UserInOut<int> optlen);
Result<void> sys_setsockopt(Task& task, Fd fd, int level, int optname, UserIn<u8> optval,
                            int optlen);
Result<isize> sys_sendto(Task& task, Fd fd, UserIn<u8> buf, usize len, Hex flags, UserIn<u8> addr,
                         int addrlen);
Result<isize> sys_recvfrom(Task& task, Fd fd, UserOut<u8> buf, usize len, Hex flags,
                           UserOut<u8> addr, UserInOut<int> addrlen);
Result<isize> sys_sendmsg(Task& task, Fd fd, UserIn<net::MsgHdr> msg, Hex flags);
Result<isize> sys_recvmsg(Task& task, Fd fd, UserInOut<net::MsgHdr> msg, Hex flags);

// clang-format off
#define ARAMID_SYSCALLS_NET(X) \
  X(41, socket)                \
  X(42, connect)               \
  X(43, accept)                \
  X(44, sendto)                \
  X(45, recvfrom)              \
  X(46, sendmsg)               \
  X(47, recvmsg)               \
  X(48, shutdown)              \
  X(49, bind)                  \
  X(50, listen)                \
  X(51, getsockname)           \
  X(52, getpeername)           \
  X(53, socketpair)            \
  X(54, setsockopt)            \
  X(55, getsockopt)            \
  X(288, accept4)
// clang-format on

namespace net_internal {

/// The socket open on `fd`: EBADF, ENOTSOCK. `file` keeps it alive.
Result<net::Socket*> SocketOf(Task& task, int fd, lib::RefPtr<fs::File>& file);
/// move_addr_to_kernel: at most sizeof(sockaddr_storage) bytes (EINVAL), EFAULT.
Result<void> CopyAddressIn(UserIn<u8> uaddr, int len, net::SockAddr& out);
/// move_addr_to_user: copies what fits in *ulen, then stores the full length in *ulen.
Result<void> CopyAddressOut(const net::SockAddr& a, UserOut<u8> uaddr, UserInOut<int> ulen);

}  // namespace net_internal

}  // namespace kernel::syscalls
