// The AF_UNIX name tables: which socket holds which abstract name, and which socket is bound
// to which file (Linux's unix_socket_table, hashed there; a list is enough for the handful of
// bound sockets a system has).
#include "kernel/net/unix_socket.h"

namespace kernel::net {
namespace {

using BoundList = lib::IntrusiveList<UnixSocket, &UnixSocket::bound_node>;

// Lives in static storage and is built on first use: no global constructors in the kernel.
BoundList& Bound() {
  alignas(BoundList) static u8 storage[sizeof(BoundList)];
  static BoundList* list = nullptr;
  if (list == nullptr) list = new (storage) BoundList();
  return *list;
}

bool IsAbstract(const SockAddr& a) {
  return a.len > kSunPathOffset && a.bytes[kSunPathOffset] == 0;
}

bool SameAddress(const SockAddr& a, const SockAddr& b) {
  return a.len == b.len && __builtin_memcmp(a.bytes, b.bytes, a.len) == 0;
}

u32 g_next_autobind = 0;

}  // namespace

UnixSocket* FindAbstract(const SockAddr& addr) {
  for (UnixSocket& s : Bound()) {
    if (IsAbstract(s.address()) && SameAddress(s.address(), addr)) return &s;
  }
  return nullptr;
}

UnixSocket* FindByInode(const fs::Inode* inode) {
  if (inode == nullptr) return nullptr;
  for (UnixSocket& s : Bound()) {
    if (s.bound_inode() == inode) return &s;
  }
  return nullptr;
}

void RegisterBound(UnixSocket& s) {
  if (!s.bound_node.linked()) Bound().PushBack(s);
}

void UnregisterBound(UnixSocket& s) {
  if (s.bound_node.linked()) Bound().Remove(s);
}

// unix_autobind: five hex digits after a NUL, trying each of the 2^20 names at most once.
Result<void> PickAutobindName(SockAddr& out) {
  constexpr u32 kNames = 1u << 20;
  static constexpr char kHex[] = "0123456789abcdef";
  for (u32 tries = 0; tries < kNames; ++tries) {
    u32 n = g_next_autobind;
    g_next_autobind = (g_next_autobind + 1) % kNames;
    SockAddr a;
    a.bytes[0] = static_cast<u8>(kAfUnix);
    a.bytes[1] = 0;
    a.bytes[kSunPathOffset] = 0;
    for (int i = 0; i < 5; ++i)
      a.bytes[kSunPathOffset + 1 + i] = static_cast<u8>(kHex[(n >> (4 * (4 - i))) & 0xf]);
    a.len = kSunPathOffset + 6;
    if (FindAbstract(a) == nullptr) {
      out = a;
      return Ok();
    }
  }
  return Errno::kEADDRINUSE;
}

}  // namespace kernel::net
