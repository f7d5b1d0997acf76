#include "kernel/net/family.h"

#include "kernel/net/unix_socket.h"

namespace kernel::net {
namespace {

// __sock_create's checks, then unix_create's: the protocol, then the type (SOCK_RAW is a
// datagram socket). Returns the type to make.
Result<int> CheckUnix(int type, int protocol) {
  if (protocol != 0 && protocol != kAfUnix) return Errno::kEPROTONOSUPPORT;
  switch (type) {
    case kSockStream:
    case kSockDgram:
    case kSockSeqpacket:
      return type;
    case kSockRaw:
      return kSockDgram;
    default:
      return Errno::kESOCKTNOSUPPORT;
  }
}

Result<void> CheckCommon(int family, int type) {
  if (family < 0 || family >= kAfMax) return Errno::kEAFNOSUPPORT;
  if (type < 0 || type >= kSockMax) return Errno::kEINVAL;
  return Ok();
}

}  // namespace

Result<lib::RefPtr<Socket>> CreateSocket(int family, int type, int protocol) {
  TRY(CheckCommon(family, type));
  if (family != kAfUnix) return Errno::kEAFNOSUPPORT;
  int t = TRY(CheckUnix(type, protocol));
  lib::RefPtr<UnixSocket> s = TRY(UnixSocket::Create(t));
  return lib::RefPtr<Socket>(lib::move(s));
}

Result<SocketPair> CreateSocketPair(int family, int type, int protocol) {
  TRY(CheckCommon(family, type));
  if (family == kAfInet || family == kAfInet6) return Errno::kEOPNOTSUPP;
  if (family != kAfUnix) return Errno::kEAFNOSUPPORT;
  int t = TRY(CheckUnix(type, protocol));
  lib::RefPtr<UnixSocket> a = TRY(UnixSocket::Create(t));
  lib::RefPtr<UnixSocket> b = TRY(UnixSocket::Create(t));
  UnixSocket::ConnectPair(*a, *b);
  return SocketPair{lib::RefPtr<Socket>(lib::move(a)), lib::RefPtr<Socket>(lib::move(b))};
}

}  // namespace kernel::net
