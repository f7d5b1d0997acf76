// Test support for the socket unit tests (kernel/net/*_test.cc): the fs fixture (tmpfs root,
// fd table, a current task that can block, leak checks) plus shorthands to make sockets and
// move bytes through them with kernel buffers.
#pragma once

#include <string>
#include <utility>

#include "kernel/net/family.h"
#include "kernel/net/unix_socket.h"
#include "tests/support/fs_test_support.h"

namespace kernel::net::testing {

class NetTest : public fs::testing::FsTest {
 protected:
  using FilePair = std::pair<lib::RefPtr<fs::File>, lib::RefPtr<fs::File>>;

  static lib::RefPtr<fs::File> Sock(int type, u32 flags = 0) {
    lib::RefPtr<Socket> s = CreateSocket(kAfUnix, type, 0).value();
    return MakeSocketFile(lib::move(s), flags).value();
  }
  static FilePair Pair(int type, u32 flags = 0) {
    SocketPair p = CreateSocketPair(kAfUnix, type, 0).value();
    return {MakeSocketFile(p.a, flags).value(), MakeSocketFile(p.b, flags).value()};
  }
  static Socket& S(fs::File& f) { return *AsSocket(f).value(); }
  static UnixSocket& U(fs::File& f) { return static_cast<UnixSocket&>(S(f)); }

  static SockAddr PathAddr(const std::string& path, bool nul = true) {
    SockAddr a;
    a.bytes[0] = kAfUnix;
    __builtin_memcpy(a.bytes + kSunPathOffset, path.data(), path.size());
    a.len = static_cast<u32>(kSunPathOffset + path.size() + (nul ? 1 : 0));
    return a;
  }
  static SockAddr AbstractAddr(const std::string& name) {
    SockAddr a;
    a.bytes[0] = kAfUnix;
    __builtin_memcpy(a.bytes + kSunPathOffset + 1, name.data(), name.size());
    a.len = static_cast<u32>(kSunPathOffset + 1 + name.size());
    return a;
  }
  static std::string NameOf(const SockAddr& a) {
    if (a.len <= kSunPathOffset) return "";
    return std::string(reinterpret_cast<const char*>(a.bytes + kSunPathOffset),
                       a.len - kSunPathOffset);
  }

  Result<void> Bind(fs::File& f, const SockAddr& a) { return S(f).Bind(a, &actor_); }
  Result<void> Connect(fs::File& f, const SockAddr& a) {
    return S(f).Connect(a, f.nonblocking(), &actor_);
  }
  lib::RefPtr<fs::File> Accept(fs::File& listener, u32 flags = 0) {
    lib::RefPtr<Socket> s = S(listener).Accept(listener.nonblocking()).value();
    return MakeSocketFile(lib::move(s), flags).value();
  }
  Errno AcceptErr(fs::File& listener) {
    Result<lib::RefPtr<Socket>> r = S(listener).Accept(listener.nonblocking());
    return r.ok() ? Errno{} : r.error();
  }

  Result<usize> Send(fs::File& f, const std::string& data, u32 flags = 0,
                     const SockAddr* to = nullptr, Ancillary* anc = nullptr) {
    fs::IoBuffer buf = fs::IoBuffer::KernelConst(data.data(), data.size());
    SendRequest req;
    req.data = &buf;
    req.to = to;
    req.flags = flags;
    req.nonblock = f.nonblocking() || (flags & msg::kDontWait) != 0;
    req.ancillary = anc;
    req.actor = &actor_;
    return S(f).Send(req);
  }
  // Receives into a buffer of `max` bytes; the string holds what the call returned a length
  // for (MSG_TRUNC may report more than was copied).
  Result<std::string> Recv(fs::File& f, usize max = 4096, u32 flags = 0, Received* out = nullptr) {
    std::string buf(max, '\0');
    fs::IoBuffer b = fs::IoBuffer::Kernel(buf.data(), buf.size());
    RecvRequest req;
    req.data = &b;
    req.flags = flags;
    req.nonblock = f.nonblocking() || (flags & msg::kDontWait) != 0;
    req.want_from = true;
    usize n = TRY(S(f).Receive(req));
    if (out != nullptr) *out = lib::move(req.out);
    buf.resize(n < max ? n : max);
    return buf;
  }
  Errno RecvErr(fs::File& f, u32 flags = 0) {
    Result<std::string> r = Recv(f, 4096, flags);
    return r.ok() ? Errno{} : r.error();
  }
  Errno SendErr(fs::File& f, const std::string& data, u32 flags = 0, const SockAddr* to = nullptr) {
    Result<usize> r = Send(f, data, flags, to);
    return r.ok() ? Errno{} : r.error();
  }
};

}  // namespace kernel::net::testing
