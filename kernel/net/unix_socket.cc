// AF_UNIX sockets: creation, names, connections, shutdown, readiness and release
// [net/unix/af_unix.c]. Sending and receiving are in unix_io.cc.
#include "kernel/net/unix_socket.h"

#include "kernel/fs/namei.h"
#include "kernel/fs/path_walk.h"
#include "kernel/fs/permission.h"

namespace kernel::net {
namespace {

// unix_validate_addr: more than the family, at most a sockaddr_un, family AF_UNIX.
Result<void> ValidateAddr(const SockAddr& a) {
  if (a.len <= kSunPathOffset || a.len > sizeof(SockaddrUn)) return Errno::kEINVAL;
  if (a.family() != kAfUnix) return Errno::kEINVAL;
  return Ok();
}

bool IsAbstract(const SockAddr& a) { return a.bytes[kSunPathOffset] == 0; }

// unix_mkname_bsd: the path is what precedes the first NUL, or all of sun_path.
lib::string_view PathOf(const SockAddr& a) {
  const char* p = reinterpret_cast<const char*>(a.bytes + kSunPathOffset);
  usize max = a.len - kSunPathOffset;
  usize n = 0;
  while (n < max && p[n] != 0) ++n;
  return lib::string_view(p, n);
}

}  // namespace

// ---- creation ----

UnixSocket::UnixSocket(int type, lib::RefPtr<fs::Inode> inode)
    : Socket(kAfUnix, type, 0, lib::move(inode)) {}

UnixSocket::~UnixSocket() {
  // Release ran when the file went; an embryo that was never accepted, or a socket made
  // by a test without a file, is cleaned up here.
  if (!dead_) ReleaseImpl(/*embryo=*/false);
}

Result<lib::RefPtr<UnixSocket>> UnixSocket::Create(int type) {
  lib::RefPtr<fs::Inode> inode = TRY(CreateSocketInode());
  UnixSocket* s = TRY(lib::TryNew<UnixSocket>(type, lib::move(inode)));
  return lib::AdoptRef(s);
}

void UnixSocket::ConnectPair(UnixSocket& a, UnixSocket& b) {
  a.peer_ = lib::RefPtr<UnixSocket>(&b);
  b.peer_ = lib::RefPtr<UnixSocket>(&a);
  // init_peercred on both: each sees the creator.
  a.peer_cred_ = b.peer_cred_ = CurrentPeerCreds();
  a.state_ = b.state_ = State::kConnected;
}

// ---- names ----

Result<void> UnixSocket::Bind(const SockAddr& addr, const fs::Actor* actor) {
  if (addr.len == kSunPathOffset && addr.family() == kAfUnix) return Autobind();
  TRY(ValidateAddr(addr));
  if (!IsAbstract(addr)) return BindPath(addr, actor);
  return BindAbstract(addr);
}

Result<void> UnixSocket::Autobind() {
  if (bound()) return Ok();
  TRY(PickAutobindName(addr_));
  RegisterBound(*this);
  return Ok();
}

Result<void> UnixSocket::BindPath(const SockAddr& addr, const fs::Actor* actor) {
  if (actor == nullptr || actor->fs == nullptr) return Errno::kEINVAL;
  lib::string_view path = PathOf(addr);
  // The node first, as unix_bind_bsd: an existing name is EADDRINUSE even for a socket that
  // is bound already.
  Result<void> made = fs::MakeNode(*actor, fs::kAtFdCwd, path, fs::mode::kSocket | 0777, 0);
  if (made.is_error()) {
    return made.error() == Errno::kEEXIST ? Errno::kEADDRINUSE : made.error();
  }
  Result<fs::Path> where = fs::ResolvePath(*actor, fs::kAtFdCwd, path, 0);
  if (bound() || where.is_error()) {
    (void)fs::Unlink(*actor, fs::kAtFdCwd, path, 0);
    return where.is_error() ? where.error() : Errno::kEINVAL;
  }
  bound_path_ = where.release_value();
  addr_ = SockAddr{};
  addr_.bytes[0] = static_cast<u8>(kAfUnix);
  __builtin_memcpy(addr_.bytes + kSunPathOffset, path.data(), path.size());
  addr_.len = static_cast<u32>(kSunPathOffset + path.size() + 1);
  RegisterBound(*this);
  return Ok();
}

Result<void> UnixSocket::BindAbstract(const SockAddr& addr) {
  if (bound()) return Errno::kEINVAL;
  if (FindAbstract(addr) != nullptr) return Errno::kEADDRINUSE;
  addr_ = addr;
  RegisterBound(*this);
  return Ok();
}

Result<lib::RefPtr<UnixSocket>> UnixSocket::FindOther(const SockAddr& addr,
                                                      const fs::Actor* actor) const {
  UnixSocket* other = nullptr;
  if (!IsAbstract(addr)) {
    if (actor == nullptr || actor->fs == nullptr) return Errno::kECONNREFUSED;
    fs::Path p = TRY(fs::ResolvePath(*actor, fs::kAtFdCwd, PathOf(addr), fs::walk::kFollow));
    TRY(fs::CheckPathPermission(actor->cred, p, fs::kMayWrite));
    if (!fs::IsSock(p.inode()->mode())) return Errno::kECONNREFUSED;
    other = FindByInode(p.inode());
  } else {
    other = FindAbstract(addr);
  }
  if (other == nullptr) return Errno::kECONNREFUSED;
  if (other->type() != type()) return Errno::kEPROTOTYPE;
  return lib::RefPtr<UnixSocket>(other);
}

Result<void> UnixSocket::GetName(SockAddr& out, bool peer) const {
  const UnixSocket* s = this;
  if (peer) {
    if (!peer_) return Errno::kENOTCONN;
    s = peer_.get();
  }
  if (!s->bound()) {
    // unix_getname: an unnamed socket has just the family.
    out = SockAddr{};
    out.bytes[0] = static_cast<u8>(kAfUnix);
    out.len = kSunPathOffset;
    return Ok();
  }
  out = s->addr_;
  return Ok();
}

// ---- connections ----

Result<void> UnixSocket::Connect(const SockAddr& addr, bool nonblock, const fs::Actor* actor) {
  if (type() == kSockDgram) return DgramConnect(addr, actor);
  return StreamConnect(addr, nonblock, actor);
}

// unix_stream_connect: a new socket joins the listener's backlog, connected to us.
Result<void> UnixSocket::StreamConnect(const SockAddr& addr, bool nonblock,
                                       const fs::Actor* actor) {
  TRY(ValidateAddr(addr));
  if (passcred() && !bound()) TRY(Autobind());
  lib::RefPtr<UnixSocket> embryo = TRY(Create(type()));
  Pending* pending = TRY(lib::TryNew<Pending>());
  for (;;) {
    Result<lib::RefPtr<UnixSocket>> found = FindOther(addr, actor);
    if (found.is_error()) {
      lib::Delete(pending);
      return found.error();
    }
    lib::RefPtr<UnixSocket> other = found.release_value();
    Errno refuse{};
    if (other->state_ != State::kListening || (other->shutdown_ & kRcvShutdown) != 0) {
      refuse = Errno::kECONNREFUSED;
    } else if (other->recv_queue_full()) {
      Result<void> w = WaitFor(other->peer_wait_, nonblock, sndtimeo_ns(), [&] {
        return !other->recv_queue_full() || other->dead_ || other->state_ != State::kListening;
      });
      if (w.is_error()) refuse = w.error();
      if (refuse == Errno{}) continue;  // look again: the listener may have gone
    } else if (state_ == State::kConnected) {
      refuse = Errno::kEISCONN;
    } else if (state_ != State::kUnconnected) {
      refuse = Errno::kEINVAL;
    }
    if (refuse != Errno{}) {
      lib::Delete(pending);
      return refuse;
    }
    // The embryo: connected to us, named like the listener, credited with our credentials.
    embryo->state_ = State::kConnected;
    embryo->peer_ = lib::RefPtr<UnixSocket>(this);
    embryo->peer_cred_ = CurrentPeerCreds();
    if (other->bound()) embryo->addr_ = other->addr_;
    peer_ = embryo;
    peer_cred_ = other->peer_cred_;  // copy_peercred: the listener's, from listen()
    state_ = State::kConnected;
    pending->socket = lib::move(embryo);
    other->pending_.PushBack(*pending);
    other->Wake(fs::ev::kReadable);
    return Ok();
  }
}

// unix_dgram_connect: sets (or with AF_UNSPEC clears) the default destination.
Result<void> UnixSocket::DgramConnect(const SockAddr& addr, const fs::Actor* actor) {
  if (addr.len < 2) return Errno::kEINVAL;
  lib::RefPtr<UnixSocket> other;
  if (addr.family() != kAfUnspec) {
    TRY(ValidateAddr(addr));
    if (passcred() && !bound()) TRY(Autobind());
    other = TRY(FindOther(addr, actor));
    if (other->dead_) return Errno::kECONNREFUSED;
    // unix_may_send: the target must not be connected to someone else.
    if (other->peer_ && other->peer_.get() != this) return Errno::kEPERM;
  }
  lib::RefPtr<UnixSocket> old = lib::move(peer_);
  peer_ = other;
  state_ = other ? State::kConnected : State::kUnconnected;
  if (old && old != other) DgramDisconnected(*old);
  return Ok();
}

void UnixSocket::DgramDisconnected(UnixSocket& old) {
  if (queue_.empty()) return;
  // Messages lost with the old association; the old peer, if it was connected back to us,
  // learns of it (unix_dgram_disconnected).
  queued_bytes_ = 0;
  Purge(queue_);
  peer_wait_.WakeAll();
  if (!old.dead_ && old.peer_.get() == this) {
    old.error_ = static_cast<int>(Errno::kECONNRESET);
    old.Wake(fs::ev::kErr);
  }
}

Result<void> UnixSocket::Listen(int backlog) {
  if (type() != kSockStream && type() != kSockSeqpacket) return Errno::kEOPNOTSUPP;
  if (!bound()) return Errno::kEINVAL;
  if (state_ != State::kUnconnected && state_ != State::kListening) return Errno::kEINVAL;
  u32 b = static_cast<u32>(backlog);
  if (b > kSoMaxConn) b = kSoMaxConn;
  if (b > backlog_) peer_wait_.WakeAll();
  backlog_ = b;
  state_ = State::kListening;
  peer_cred_ = CurrentPeerCreds();
  return Ok();
}

Result<lib::RefPtr<Socket>> UnixSocket::Accept(bool nonblock) {
  if (type() != kSockStream && type() != kSockSeqpacket) return Errno::kEOPNOTSUPP;
  if (state_ != State::kListening) return Errno::kEINVAL;
  TRY(WaitFor(wait_, nonblock, rcvtimeo_ns(),
              [&] { return !pending_.empty() || state_ != State::kListening; }));
  if (state_ != State::kListening) return Errno::kEINVAL;
  Pending* p = pending_.PopFront();
  lib::RefPtr<UnixSocket> s = lib::move(p->socket);
  lib::Delete(p);
  peer_wait_.WakeAll();         // room in the backlog
  s->set_passcred(passcred());  // unix_sock_inherit_flags
  return lib::RefPtr<Socket>(lib::move(s));
}

bool UnixSocket::recv_queue_full() const {
  usize n = state_ == State::kListening ? pending_.size() : queue_.size();
  u32 limit = state_ == State::kListening ? backlog_ : kMaxDgramQlen;
  return n > limit;
}

// ---- shutdown ----

Result<void> UnixSocket::Shutdown(int how) {
  // SHUT_RD/SHUT_WR/SHUT_RDWR become RCV_SHUTDOWN/SEND_SHUTDOWN bits.
  u8 mode = static_cast<u8>((how + 1) & kShutdownMask);
  shutdown_ |= mode;
  Wake(fs::ev::kIn | fs::ev::kOut | fs::ev::kHup | fs::ev::kRdHup);
  if (peer_ && connection_based()) {
    u8 peer_mode = 0;
    if (mode & kRcvShutdown) peer_mode |= kSendShutdown;
    if (mode & kSendShutdown) peer_mode |= kRcvShutdown;
    peer_->shutdown_ |= peer_mode;
    peer_->Wake(fs::ev::kIn | fs::ev::kOut | fs::ev::kHup | fs::ev::kRdHup);
  }
  return Ok();
}

// ---- readiness ----

// unix_writable: not listening, and at most a quarter of the send buffer in flight.
bool UnixSocket::writable() const {
  return state_ != State::kListening && (wmem_ << 2) <= sndbuf();
}

void UnixSocket::Wake(u32 events) {
  wait_.WakeAll();
  poll_.Notify(events);
}

u32 UnixSocket::Poll() {
  using namespace fs::ev;
  u32 mask = 0;
  if (error_ != 0) mask |= kErr;
  if (shutdown_ == kShutdownMask) mask |= kHup;
  if (shutdown_ & kRcvShutdown) mask |= kRdHup | kIn | kRdNorm;
  if (!queue_.empty() || !pending_.empty()) mask |= kIn | kRdNorm;
  if (connection_based() && state_ == State::kUnconnected) mask |= kHup;
  bool can_write = writable();
  if (type() != kSockStream && can_write && peer_ && peer_->peer_.get() != this &&
      peer_->recv_queue_full()) {
    can_write = false;  // unix_dgram_poll: the receiver's queue is full
  }
  if (can_write) mask |= kOut | kWrNorm | kWrBand;
  return mask;
}

usize UnixSocket::BytesReadable() const {
  if (state_ == State::kListening) return 0;
  if (type() == kSockStream) return queued_bytes_;
  // unix_inq_len: a datagram socket reports the size of the next message.
  const Message* m = queue_.Front();
  return m != nullptr ? m->size() : 0;
}

// ---- release ----

void UnixSocket::Close() {
  ReleaseImpl(/*embryo=*/false);
  CollectGarbage();
}

// unix_release_sock.
void UnixSocket::ReleaseImpl(bool embryo) {
  if (dead_) return;
  UnregisterBound(*this);
  bound_path_ = fs::Path{};
  state_ = State::kUnconnected;
  shutdown_ = kShutdownMask;
  dead_ = true;
  lib::RefPtr<UnixSocket> pair = lib::move(peer_);
  if (pair && connection_based()) {
    pair->shutdown_ = kShutdownMask;
    if (!queue_.empty() || embryo) pair->error_ = static_cast<int>(Errno::kECONNRESET);
    pair->Wake(fs::ev::kIn | fs::ev::kOut | fs::ev::kHup | fs::ev::kRdHup | fs::ev::kErr);
  }
  peer_wait_.WakeAll();
  wait_.WakeAll();
  // Connections nobody accepted are reset.
  while (Pending* p = pending_.PopFront()) {
    lib::RefPtr<UnixSocket> s = lib::move(p->socket);
    lib::Delete(p);
    s->ReleaseImpl(/*embryo=*/true);
  }
  queued_bytes_ = 0;
  Purge(queue_);
}

void UnixSocket::TakeQueuesForGc(MessageQueue& into) {
  queued_bytes_ = 0;
  into.Splice(queue_);
  for (Pending& p : pending_) {
    p.socket->queued_bytes_ = 0;
    into.Splice(p.socket->queue_);
  }
}

// ---- options ----

bool UnixSocket::GetFamilyOption(int name, OptionValue& v) {
  switch (name) {
    case so::kPeerCred:
      __builtin_memcpy(v.bytes, &peer_cred_, sizeof(peer_cred_));
      v.len = sizeof(peer_cred_);
      return true;
    case so::kAcceptConn: {
      int x = state_ == State::kListening ? 1 : 0;
      __builtin_memcpy(v.bytes, &x, sizeof(x));
      v.len = sizeof(x);
      return true;
    }
    default:
      return false;
  }
}

void UnixSocket::OnBufferChange() { Wake(fs::ev::kOut | fs::ev::kWrNorm); }

void UnixSocket::Uncharge(usize charge) {
  wmem_ = charge > wmem_ ? 0 : wmem_ - charge;
  Wake(fs::ev::kOut | fs::ev::kWrNorm | fs::ev::kWrBand);
}

void UnixSocket::Enqueue(Message* m) {
  queue_.PushBack(*m);
  queued_bytes_ += m->unread();
  Wake(fs::ev::kIn | fs::ev::kRdNorm);
}

void UnixSocket::DropMessage(Message* m) {
  queue_.Remove(*m);
  queued_bytes_ -= m->unread() <= queued_bytes_ ? m->unread() : queued_bytes_;
  peer_wait_.WakeAll();
  Message::Destroy(m);
}

}  // namespace kernel::net
