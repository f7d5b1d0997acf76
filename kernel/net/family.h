#pragma once
/// Making sockets: socket(2) and socketpair(2) check the family, type and protocol as Linux's
/// __sock_create and the family's create function do, and make the socket. Only AF_UNIX
/// exists; other families are EAFNOSUPPORT, what Linux says when a family is not built in, so
/// programs that try AF_INET or AF_NETLINK first fall back cleanly.
#include "kernel/net/socket.h"

namespace kernel::net {

/// socket(2) with the SOCK_NONBLOCK/SOCK_CLOEXEC bits already taken off `type`.
Result<lib::RefPtr<Socket>> CreateSocket(int family, int type, int protocol);

struct SocketPair {
  lib::RefPtr<Socket> a;
  lib::RefPtr<Socket> b;
};
/// socketpair(2), likewise. EOPNOTSUPP for AF_INET/AF_INET6, as on a Linux that has them
/// (sock_no_socketpair), so the answer matches Linux whichever way a program asks.
Result<SocketPair> CreateSocketPair(int family, int type, int protocol);

}  // namespace kernel::net
