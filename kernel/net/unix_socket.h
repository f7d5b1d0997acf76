#pragma once
/// AF_UNIX sockets [man 7 unix], after Linux's net/unix/af_unix.c.
///
/// Types: SOCK_STREAM (a byte stream over a connection), SOCK_DGRAM (connectionless, message
/// boundaries kept, a datagram goes to a named socket or to the connected one) and
/// SOCK_SEQPACKET (a connection that keeps message boundaries). SOCK_RAW is taken as
/// SOCK_DGRAM, as Linux does.
///
/// Names: a path (bind creates an S_IFSOCK file; connect resolves it, needs write
/// permission, and finds the socket bound to that inode), an abstract name (sun_path[0] ==
/// 0: the rest of the address, compared byte for byte), or none. Binding an empty address
/// (only the family) autobinds a fresh abstract name "\0XXXXX".
///
/// Connections: listen() makes a stream/seqpacket socket accept connections; connect() makes a
/// new socket (the "embryo") connected to the caller and queues it on the listener, where
/// accept() takes it. The backlog admits backlog+1 waiting connections, as Linux's
/// unix_recvq_full does.
///
/// Flow control: every queued message is charged to its sender's send buffer (SO_SNDBUF); a
/// sender waits while its charge reaches the buffer size. A datagram receiver that is not
/// connected back to the sender also limits its queue to net.unix.max_dgram_qlen messages.
///
/// Closing: the last file of a socket releases it: its name goes, a stream/seqpacket peer
/// sees end-of-file (and ECONNRESET once if this side had unread data), connections waiting
/// in a listener's backlog are reset, and queued messages (with any files in flight) are
/// dropped.
#include "kernel/fs/path.h"
#include "kernel/net/socket.h"

namespace kernel::net {

class UnixSocket final : public Socket {
 public:
  /// A new socket of `type` (stream, dgram or seqpacket). ENOMEM.
  static Result<lib::RefPtr<UnixSocket>> Create(int type);
  /// socketpair(2): connects two new sockets of the same type to each other.
  static void ConnectPair(UnixSocket& a, UnixSocket& b);

  // Use Create; public only for lib::TryNew.
  UnixSocket(int type, lib::RefPtr<fs::Inode> inode);
  ~UnixSocket() override;

  Result<void> Bind(const SockAddr& addr, const fs::Actor* actor) override;
  Result<void> Connect(const SockAddr& addr, bool nonblock, const fs::Actor* actor) override;
  Result<void> Listen(int backlog) override;
  Result<lib::RefPtr<Socket>> Accept(bool nonblock) override;
  Result<usize> Send(SendRequest& req) override;
  Result<usize> Receive(RecvRequest& req) override;
  Result<void> Shutdown(int how) override;
  Result<void> GetName(SockAddr& out, bool peer) const override;
  u32 Poll() override;
  void Close() override;
  usize BytesReadable() const override;

  /// The bound address (len 0: unbound).
  const SockAddr& address() const { return addr_; }
  bool bound() const { return addr_.len != 0; }
  bool dead() const { return dead_; }
  /// The inode of the file a path-bound socket created (null otherwise).
  const fs::Inode* bound_inode() const { return bound_path_.inode(); }
  /// Messages waiting in the receive queue / connections waiting in the backlog.
  usize queued_messages() const { return queue_.size(); }
  usize pending_connections() const { return pending_.size(); }
  /// Bytes charged to this socket's send buffer by its messages in flight.
  usize send_charge() const { return wmem_; }

  /// A message this socket sent was consumed or dropped: frees its charge, wakes writers.
  void Uncharge(usize charge);

  // The name tables (unix_names.cc) link bound sockets through this node.
  lib::ListNode bound_node;

  // ---- garbage collection of sockets in flight (unix_gc.cc) ----
  lib::ListNode gc_node;  // in the list of sockets whose file is in flight
  usize gc_inflight = 0;  // messages holding this socket's file
  usize gc_internal = 0;  // of those, messages queued on other candidates
  bool gc_candidate = false;
  bool gc_reachable = false;
  /// Calls fn(UnixSocket&) for each socket whose file is in flight in this socket's queue
  /// (and in the queues of connections waiting in its backlog).
  template <typename Fn>
  void ForEachSocketInQueue(Fn fn);
  /// Takes every queued message (its own and its backlog's) out, for the collector to free.
  void TakeQueuesForGc(MessageQueue& into);

 private:
  enum class State : u8 { kUnconnected, kListening, kConnected };
  static constexpr u8 kRcvShutdown = 1;
  static constexpr u8 kSendShutdown = 2;
  static constexpr u8 kShutdownMask = 3;

  bool connection_based() const { return type() != kSockDgram; }
  bool writable() const;
  bool recv_queue_full() const;
  void Wake(u32 events);
  /// Adds `m` to this socket's receive queue and tells readers.
  void Enqueue(Message* m);
  /// Releases with `embryo`: a connection that was never accepted.
  void ReleaseImpl(bool embryo);

  Result<void> Autobind();
  Result<void> BindPath(const SockAddr& addr, const fs::Actor* actor);
  Result<void> BindAbstract(const SockAddr& addr);
  /// unix_find_other: the socket named by `addr`, of this socket's type.
  Result<lib::RefPtr<UnixSocket>> FindOther(const SockAddr& addr, const fs::Actor* actor) const;
  Result<void> StreamConnect(const SockAddr& addr, bool nonblock, const fs::Actor* actor);
  Result<void> DgramConnect(const SockAddr& addr, const fs::Actor* actor);
  /// unix_dgram_disconnected: a datagram socket lost its peer `old`.
  void DgramDisconnected(UnixSocket& old);

  // unix_io.cc
  Result<usize> StreamSend(SendRequest& req);
  Result<usize> StreamReceive(RecvRequest& req);
  Result<usize> DgramSend(SendRequest& req);
  Result<usize> DgramReceive(RecvRequest& req);
  /// Waits until this socket may charge another message to its send buffer.
  Result<void> WaitForSendRoom(bool nonblock);
  /// A message of `n` bytes from `data` at `offset`, with the ancillary data (if any) moved
  /// in and the caller's credentials; charged to this socket.
  Result<Message*> BuildMessage(const fs::IoBuffer& data, usize offset, usize n,
                                Ancillary* ancillary);
  /// Takes `m` off the receive queue and frees it.
  void DropMessage(Message* m);
  /// What recvmsg reports as the sender's address.
  static void SenderAddress(const Message& m, SockAddr& out);

  bool GetFamilyOption(int name, OptionValue& value) override;
  void OnBufferChange() override;

  State state_ = State::kUnconnected;
  u8 shutdown_ = 0;
  bool dead_ = false;
  SockAddr addr_;
  fs::Path bound_path_;           // the file a path-bound socket created
  lib::RefPtr<UnixSocket> peer_;  // the connected peer (kept after it closes, as Linux does)
  MessageQueue queue_;
  usize queued_bytes_ = 0;  // unread bytes in queue_ (FIONREAD)
  usize wmem_ = 0;          // charge of this socket's messages in flight
  u32 backlog_ = 0;
  struct Pending {
    lib::RefPtr<UnixSocket> socket;
    lib::ListNode node;
  };
  lib::IntrusiveList<Pending, &Pending::node> pending_;  // connections not yet accepted
  UCred peer_cred_{0, ~0u, ~0u};  // SO_PEERCRED (pid 0, uid/gid -1 until connected)
  proc::WaitQueue wait_;          // readers, accepters, writers waiting for send room
  proc::WaitQueue peer_wait_;     // others waiting for room in this socket's queue or backlog
};

// ---- garbage collection (unix_gc.cc) ----

/// The socket behind `file` if it is an AF_UNIX socket, else null.
UnixSocket* UnixSocketOf(fs::File& file);
/// Counts `files` in (add) or out of flight.
void AccountInFlight(const FileList& files, bool add);
/// Frees the sockets that only messages queued on each other keep open (a socket sent over
/// itself, two sockets sent over each other...), as Linux's unix_gc: runs when a socket
/// closes.
void CollectGarbage();

template <typename Fn>
void UnixSocket::ForEachSocketInQueue(Fn fn) {
  auto scan = [&](MessageQueue& q) {
    for (Message& m : q) {
      for (const lib::RefPtr<fs::File>& f : m.files()) {
        if (UnixSocket* u = UnixSocketOf(*f)) fn(*u);
      }
    }
  };
  scan(queue_);
  for (Pending& p : pending_) scan(p.socket->queue_);
}

// ---- the name tables (unix_names.cc) ----

/// The socket bound to the abstract name in `addr` (exact bytes), or null.
UnixSocket* FindAbstract(const SockAddr& addr);
/// The socket whose bound path is the inode `inode`, or null.
UnixSocket* FindByInode(const fs::Inode* inode);
/// Enters a socket that has just been bound (its address() set) into the tables.
void RegisterBound(UnixSocket& s);
/// Takes it out again (release).
void UnregisterBound(UnixSocket& s);
/// A fresh abstract name for autobind: "\0" and five hex digits. EADDRINUSE when all
/// 2^20 are taken.
Result<void> PickAutobindName(SockAddr& out);

}  // namespace kernel::net
