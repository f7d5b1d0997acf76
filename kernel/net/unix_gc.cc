// Garbage collection of AF_UNIX sockets in flight [net/unix/garbage.c]. SCM_RIGHTS can put a
// socket's own file in its own receive queue, or two sockets' files in each other's: once
// every descriptor is closed, only the messages keep the files open, and nothing could ever
// read those messages. The collector finds such sockets and drops their queues.
//
// Candidates are sockets whose file is referenced only by messages in flight (its reference
// count equals the number of messages holding it). A candidate is alive if something outside
// the candidates' queues also holds it, or if a live candidate's queue holds it; the rest are
// garbage. The kernel does not preempt kernel code, so the counts cannot move while this runs.
#include "kernel/net/unix_socket.h"

namespace kernel::net {
namespace {

using InflightList = lib::IntrusiveList<UnixSocket, &UnixSocket::gc_node>;

InflightList& Inflight() {
  alignas(InflightList) static u8 storage[sizeof(InflightList)];
  static InflightList* list = nullptr;
  if (list == nullptr) list = new (storage) InflightList();
  return *list;
}

bool g_collecting = false;

}  // namespace

UnixSocket* UnixSocketOf(fs::File& file) {
  if (!IsSocket(file)) return nullptr;
  Socket& s = static_cast<SocketFile&>(file).socket();
  return s.family() == kAfUnix ? static_cast<UnixSocket*>(&s) : nullptr;
}

void AccountInFlight(const FileList& files, bool add) {
  for (const lib::RefPtr<fs::File>& f : files) {
    UnixSocket* u = UnixSocketOf(*f);
    if (u == nullptr) continue;
    if (add) {
      if (u->gc_inflight++ == 0) Inflight().PushBack(*u);
    } else if (--u->gc_inflight == 0) {
      Inflight().Remove(*u);
    }
  }
}

void CollectGarbage() {
  if (g_collecting || Inflight().empty()) return;
  g_collecting = true;
  // The file's reference count is the one place that says "nobody else holds this";
  // ref_count_for_debug() reads it, and nothing can change it while we look.
  auto refs = [](UnixSocket& u) -> usize {
    return u.file() != nullptr ? u.file()->ref_count_for_debug() : 0;
  };
  for (UnixSocket& u : Inflight()) {
    u.gc_internal = 0;
    u.gc_reachable = false;
    u.gc_candidate = u.file() != nullptr && refs(u) == u.gc_inflight;
  }
  for (UnixSocket& u : Inflight()) {
    if (!u.gc_candidate) continue;
    u.ForEachSocketInQueue([](UnixSocket& v) {
      if (v.gc_candidate) ++v.gc_internal;
    });
  }
  for (UnixSocket& u : Inflight()) {
    if (u.gc_candidate && refs(u) > u.gc_internal) u.gc_reachable = true;
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (UnixSocket& u : Inflight()) {
      if (!u.gc_candidate || !u.gc_reachable) continue;
      u.ForEachSocketInQueue([&](UnixSocket& v) {
        if (v.gc_candidate && !v.gc_reachable) {
          v.gc_reachable = true;
          changed = true;
        }
      });
    }
  }
  // Take every garbage queue out before freeing anything: freeing closes files, which
  // changes the list we walk.
  MessageQueue garbage;
  for (UnixSocket& u : Inflight()) {
    if (u.gc_candidate && !u.gc_reachable) u.TakeQueuesForGc(garbage);
  }
  Purge(garbage);
  g_collecting = false;
}

}  // namespace kernel::net
