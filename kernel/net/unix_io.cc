// AF_UNIX sending and receiving [net/unix/af_unix.c: unix_stream_sendmsg,
// unix_stream_read_generic, unix_dgram_sendmsg, unix_dgram_recvmsg].
#include "kernel/net/unix_socket.h"

namespace kernel::net {
namespace {

// What a queued message costs its sender beyond its bytes (Linux charges skb->truesize).
constexpr usize kMessageOverhead = 512;
// The largest piece a stream write queues as one message.
constexpr usize kStreamChunkMax = 64ul * 1024;

bool SameCreds(const UCred& a, const UCred& b) {
  return a.pid == b.pid && a.uid == b.uid && a.gid == b.gid;
}

// The receiver of a peeked message gets its own references to the files.
Result<void> CloneFiles(const FileList& from, FileList& to) {
  TRY(to.TryReserve(to.size() + from.size()));
  for (const lib::RefPtr<fs::File>& f : from) TRY(to.TryPush(f));
  return Ok();
}

}  // namespace

Result<usize> UnixSocket::Send(SendRequest& req) {
  if (req.flags & msg::kOob) return Errno::kEOPNOTSUPP;
  if (type() == kSockStream) return StreamSend(req);
  if (type() == kSockSeqpacket) {
    // unix_seqpacket_sendmsg: a connection; a destination address is ignored.
    if (state_ != State::kConnected) return Errno::kENOTCONN;
    req.to = nullptr;
  }
  return DgramSend(req);
}

Result<usize> UnixSocket::Receive(RecvRequest& req) {
  if (req.flags & msg::kOob) return Errno::kEOPNOTSUPP;
  if (type() == kSockStream) return StreamReceive(req);
  if (type() == kSockSeqpacket && state_ != State::kConnected) return Errno::kENOTCONN;
  return DgramReceive(req);
}

Result<void> UnixSocket::WaitForSendRoom(bool nonblock) {
  // sock_alloc_send_pskb: wait while the buffer is full; a shut-down socket gives EPIPE.
  TRY(WaitFor(wait_, nonblock, sndtimeo_ns(),
              [&] { return wmem_ < sndbuf() || (shutdown_ & kSendShutdown) != 0 || error_ != 0; }));
  if (error_ != 0) return static_cast<Errno>(TakeError());
  if (shutdown_ & kSendShutdown) return Errno::kEPIPE;
  return Ok();
}

Result<Message*> UnixSocket::BuildMessage(const fs::IoBuffer& data, usize offset, usize n,
                                          Ancillary* ancillary) {
  Message* m = TRY(Message::Create(n));
  if (n > 0) {
    Result<void> r = data.Read(offset, m->data(), n);
    if (r.is_error()) {
      Message::Destroy(m);
      return r.error();
    }
  }
  m->creds = CurrentCreds();
  if (ancillary != nullptr) {
    if (ancillary->has_creds) m->creds = ancillary->creds;
    m->SetFiles(lib::move(ancillary->files));
    ancillary->files = FileList();
  }
  m->sender = lib::RefPtr<UnixSocket>(this);
  m->charge = n + kMessageOverhead;
  wmem_ += m->charge;
  return m;
}

void UnixSocket::SenderAddress(const Message& m, SockAddr& out) {
  // unix_copy_addr: the sender's name now, or nothing when it has none.
  out = SockAddr{};
  if (m.sender && m.sender->bound()) out = m.sender->address();
}

// ---- streams ----

Result<usize> UnixSocket::StreamSend(SendRequest& req) {
  if (req.to != nullptr && req.to->len != 0) {
    return state_ == State::kConnected ? Errno::kEISCONN : Errno::kEOPNOTSUPP;
  }
  if (!peer_) return Errno::kENOTCONN;
  usize len = req.data->size();
  usize sent = 0;
  Errno err{};
  bool pipe = false;
  if (shutdown_ & kSendShutdown) {
    pipe = true;
  } else {
    while (sent < len) {
      Result<void> room = WaitForSendRoom(req.nonblock);
      if (room.is_error()) {
        err = room.error();
        pipe = err == Errno::kEPIPE;
        break;
      }
      lib::RefPtr<UnixSocket> other = peer_;
      if (!other || other->dead_ || (other->shutdown_ & kRcvShutdown) != 0) {
        pipe = true;
        break;
      }
      usize chunk = len - sent;
      usize limit = sndbuf() / 2 - 64;
      if (limit > kStreamChunkMax) limit = kStreamChunkMax;
      if (chunk > limit) chunk = limit;
      // Only the first message carries the passed files (unix_scm_to_skb with send_fds).
      Result<Message*> m =
          BuildMessage(*req.data, sent, chunk, sent == 0 ? req.ancillary : nullptr);
      if (m.is_error()) {
        err = m.error();
        break;
      }
      other->Enqueue(m.value());
      sent += chunk;
    }
  }
  if (pipe) {
    if (sent == 0 && (req.flags & msg::kNoSignal) == 0) RaiseSigpipe();
    err = Errno::kEPIPE;
  }
  if (sent > 0) return sent;
  if (err != Errno{}) return err;
  return usize{0};
}

Result<usize> UnixSocket::StreamReceive(RecvRequest& req) {
  if (state_ != State::kConnected) return Errno::kEINVAL;
  const fs::IoBuffer& buf = *req.data;
  usize size = buf.size();
  bool peek = (req.flags & msg::kPeek) != 0;
  usize target = (req.flags & msg::kWaitAll) ? size : 1;
  if (target == 0) target = 1;
  usize copied = 0;
  bool check_creds = false;
  Message* cursor = nullptr;  // with MSG_PEEK: the last message looked at
  for (;;) {
    Message* m = cursor != nullptr ? queue_.Next(*cursor) : queue_.Front();
    if (m == nullptr) {
      if (copied >= target) break;
      if (peek && cursor != nullptr) break;
      if (error_ != 0) {
        int e = TakeError();
        if (copied > 0) break;
        return static_cast<Errno>(e);
      }
      if (shutdown_ & kRcvShutdown) break;
      Result<void> w = WaitFor(wait_, req.nonblock, rcvtimeo_ns(), [&] {
        return !queue_.empty() || (shutdown_ & kRcvShutdown) != 0 || error_ != 0;
      });
      if (w.is_error()) {
        if (copied > 0) break;
        return w.error();
      }
      continue;
    }
    // Never glue together bytes from different writers once credentials are asked for.
    if (check_creds) {
      if (!SameCreds(m->creds, req.out.creds)) break;
    } else if (passcred()) {
      req.out.creds = m->creds;
      req.out.has_creds = true;
      check_creds = true;
    }
    if (req.want_from && copied == 0) SenderAddress(*m, req.out.from);
    usize chunk = m->unread();
    if (chunk > size - copied) chunk = size - copied;
    if (chunk > 0) {
      Result<void> r = buf.Write(copied, m->data() + m->consumed(), chunk);
      if (r.is_error()) {
        if (copied > 0) break;
        return r.error();
      }
    }
    copied += chunk;
    if (!peek) {
      m->Consume(chunk);
      queued_bytes_ -= chunk;
      bool had_files = m->has_files();
      if (had_files) {
        FileList taken = m->TakeFiles();
        TRY(CloneFiles(taken, req.out.files));
      }
      if (m->unread() > 0) break;
      DropMessage(m);
      if (had_files) break;
    } else {
      if (m->has_files()) {
        TRY(CloneFiles(m->files(), req.out.files));
        break;
      }
      cursor = m;
    }
    if (copied == size) break;
  }
  return copied;
}

// ---- datagrams and sequenced packets ----

Result<usize> UnixSocket::DgramSend(SendRequest& req) {
  const SockAddr* to = req.to != nullptr && req.to->len != 0 ? req.to : nullptr;
  lib::RefPtr<UnixSocket> other;
  if (to != nullptr) {
    if (to->len <= kSunPathOffset || to->len > sizeof(SockaddrUn) || to->family() != kAfUnix) {
      return Errno::kEINVAL;
    }
  } else {
    if (!peer_) return Errno::kENOTCONN;
    other = peer_;
  }
  if (passcred() && !bound()) TRY(Autobind());
  usize len = req.data->size();
  if (len > sndbuf() - 32) return Errno::kEMSGSIZE;
  TRY(WaitForSendRoom(req.nonblock));
  Message* m = TRY(BuildMessage(*req.data, 0, len, req.ancillary));
  Errno err{};
  for (;;) {
    if (!other) {
      if (to == nullptr) {
        err = Errno::kECONNRESET;
        break;
      }
      Result<lib::RefPtr<UnixSocket>> found = FindOther(*to, req.actor);
      if (found.is_error()) {
        err = found.error();
        break;
      }
      other = found.release_value();
    }
    if (other->peer_ && other->peer_.get() != this) {
      err = Errno::kEPERM;  // unix_may_send: it talks only to its own peer
      break;
    }
    if (other->dead_) {
      if (type() == kSockSeqpacket) {
        err = Errno::kEPIPE;
        break;
      }
      if (peer_ == other) {
        // The connected peer went away: we are disconnected and told so once.
        lib::RefPtr<UnixSocket> old = lib::move(peer_);
        state_ = State::kUnconnected;
        DgramDisconnected(*old);
        err = Errno::kECONNREFUSED;
        break;
      }
      other = nullptr;
      continue;
    }
    if (other->shutdown_ & kRcvShutdown) {
      err = Errno::kEPIPE;
      break;
    }
    if (other.get() != this && other->peer_.get() != this && other->recv_queue_full()) {
      lib::RefPtr<UnixSocket> target = other;
      Result<void> w = WaitFor(target->peer_wait_, req.nonblock, sndtimeo_ns(), [&] {
        return !target->recv_queue_full() || target->dead_ ||
               (target->shutdown_ & kRcvShutdown) != 0;
      });
      if (w.is_error()) {
        err = w.error();
        break;
      }
      continue;
    }
    other->Enqueue(m);
    return len;
  }
  Message::Destroy(m);
  return err;
}

Result<usize> UnixSocket::DgramReceive(RecvRequest& req) {
  bool peek = (req.flags & msg::kPeek) != 0;
  Message* m = nullptr;
  for (;;) {
    if (error_ != 0) return static_cast<Errno>(TakeError());
    m = queue_.Front();
    if (m != nullptr) break;
    if (shutdown_ & kRcvShutdown) {
      // A shut-down datagram socket that may not wait says EAGAIN; one that waits, and a
      // sequenced-packet socket, see end-of-file (__skb_wait_for_more_packets).
      bool no_wait = req.nonblock || rcvtimeo_ns() == 0;
      if (type() == kSockDgram && no_wait) return Errno::kEAGAIN;
      return usize{0};
    }
    Result<void> w = WaitFor(wait_, req.nonblock, rcvtimeo_ns(), [&] {
      return !queue_.empty() || (shutdown_ & kRcvShutdown) != 0 || error_ != 0;
    });
    if (w.is_error()) return w.error();
  }
  if (req.want_from) SenderAddress(*m, req.out.from);
  const fs::IoBuffer& buf = *req.data;
  usize size = buf.size();
  if (size >= m->size()) {
    size = m->size();
  } else {
    req.out.msg_flags |= msg::kTrunc;
  }
  Result<void> copy = size > 0 ? buf.Write(0, m->data(), size) : Result<void>(Ok());
  if (passcred()) {
    req.out.has_creds = true;
    req.out.creds = m->creds;
  }
  usize whole = m->size();
  if (!peek) {
    req.out.files = m->TakeFiles();
    DropMessage(m);
  } else if (m->has_files() && copy.ok()) {
    TRY(CloneFiles(m->files(), req.out.files));
  }
  if (copy.is_error()) {
    req.out.files = FileList();
    return copy.error();
  }
  return (req.flags & msg::kTrunc) ? whole : size;
}

}  // namespace kernel::net
