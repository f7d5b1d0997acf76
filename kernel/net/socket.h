#pragma once
/// Sockets [man 7 socket]. A Socket is the protocol object (Linux's struct sock with its
/// proto_ops); a SocketFile is the open file that socket(2), socketpair(2) and accept(2) put in
/// the fd table. They are separate so that what one socket holds of another (a connected peer,
/// the sender of a queued message, a connection waiting in a listener's backlog) never keeps a
/// *file* open: closing the last descriptor destroys the SocketFile, which releases its Socket
/// (Socket::Close), and the Socket object lives on only as long as others still refer to it.
///
/// The options of SOL_SOCKET that every family shares (buffer sizes, timeouts, SO_PASSCRED,
/// SO_REUSEADDR...) are kept and answered here [net/core/sock.c sock_setsockopt]; a family
/// answers the ones that depend on its state through the virtual hooks.
#include "kernel/fs/file.h"
#include "kernel/fs/poll_queue.h"
#include "kernel/net/abi.h"
#include "kernel/net/message.h"
#include "kernel/proc/wait_queue.h"

namespace kernel::fs {
struct Actor;
}

namespace kernel::net {

/// A socket timeout that never expires (SO_RCVTIMEO/SO_SNDTIMEO of zero, the default).
inline constexpr u64 kForever = ~u64{0};

/// One send: the bytes, the destination (null: the connected peer), MSG_* flags, and the
/// ancillary data already parsed from the control buffer.
struct SendRequest {
  const fs::IoBuffer* data = nullptr;
  const SockAddr* to = nullptr;
  u32 flags = 0;
  bool nonblock = false;  ///< O_NONBLOCK or MSG_DONTWAIT
  Ancillary* ancillary = nullptr;
  const fs::Actor* actor = nullptr;  ///< resolves a path destination; may be null
};

/// One receive: the buffer, MSG_* flags; the results land in `out`.
struct RecvRequest {
  const fs::IoBuffer* data = nullptr;
  u32 flags = 0;
  bool nonblock = false;
  bool want_from = false;  ///< fill out.from
  Received out;
};

/// An option value in kernel memory: getsockopt fills `bytes` and sets `len`; setsockopt
/// reads them.
struct OptionValue {
  static constexpr usize kMax = 64;
  u32 len = 0;
  alignas(8) u8 bytes[kMax] = {};
};

class Socket : public lib::RefCounted<Socket> {
 public:
  virtual ~Socket();

  int family() const { return family_; }
  int type() const { return type_; }
  int protocol() const { return protocol_; }
  /// The socket's inode (S_IFSOCK): fstat, "socket:[ino]".
  const lib::RefPtr<fs::Inode>& inode() const { return inode_; }
  fs::PollQueue& poll_queue() { return poll_; }
  /// The open file of this socket while it has one (SocketFile sets and clears it).
  fs::File* file() const { return file_; }
  void set_file(fs::File* f) { file_ = f; }

  // ---- the protocol operations (proto_ops) ----
  virtual Result<void> Bind(const SockAddr& addr, const fs::Actor* actor) = 0;
  virtual Result<void> Connect(const SockAddr& addr, bool nonblock, const fs::Actor* actor) = 0;
  virtual Result<void> Listen(int backlog) = 0;
  virtual Result<lib::RefPtr<Socket>> Accept(bool nonblock) = 0;
  virtual Result<usize> Send(SendRequest& req) = 0;
  virtual Result<usize> Receive(RecvRequest& req) = 0;
  /// how: SHUT_RD / SHUT_WR / SHUT_RDWR (already checked).
  virtual Result<void> Shutdown(int how) = 0;
  /// getsockname (peer=false) / getpeername (peer=true).
  virtual Result<void> GetName(SockAddr& out, bool peer) const = 0;
  virtual u32 Poll() = 0;
  /// The last file of this socket went away.
  virtual void Close() = 0;
  /// FIONREAD / SIOCINQ.
  virtual usize BytesReadable() const { return 0; }

  // ---- options (SOL_SOCKET here; other levels EOPNOTSUPP unless a family answers) ----
  Result<void> GetOption(int level, int name, OptionValue& value);
  Result<void> SetOption(int level, int name, const OptionValue& value, bool privileged);

  u32 sndbuf() const { return sndbuf_; }
  u32 rcvbuf() const { return rcvbuf_; }
  bool passcred() const { return passcred_; }
  void set_passcred(bool v) { passcred_ = v; }
  /// SO_RCVTIMEO / SO_SNDTIMEO in nanoseconds: kForever by default; 0 never waits.
  u64 rcvtimeo_ns() const { return rcvtimeo_ns_; }
  u64 sndtimeo_ns() const { return sndtimeo_ns_; }
  /// sock_error(): takes the pending error (SO_ERROR, a failed read), 0 if none.
  int TakeError() {
    int e = error_;
    error_ = 0;
    return e;
  }

 protected:
  Socket(int family, int type, int protocol, lib::RefPtr<fs::Inode> inode);

  /// Family answers for options that depend on its state: SO_PEERCRED, SO_ACCEPTCONN.
  /// Return false for options the family does not know.
  virtual bool GetFamilyOption(int name, OptionValue& value) = 0;
  /// The buffer sizes changed (writers may fit now).
  virtual void OnBufferChange() {}

  /// Sleeps on `q` until pred() holds. nonblock (or a zero timeout): EAGAIN at once if it
  /// does not; a timeout (ns, kForever = none) that expires gives EAGAIN; a signal gives
  /// ERESTARTSYS, or EINTR when a timeout was set (sock_intr_errno).
  template <typename Pred>
  static Result<void> WaitFor(proc::WaitQueue& q, bool nonblock, u64 timeout_ns, Pred pred);

  int error_ = 0;  // sk_err: a pending asynchronous error (ECONNRESET)
  fs::PollQueue poll_;

 private:
  int family_;
  int type_;
  int protocol_;
  lib::RefPtr<fs::Inode> inode_;
  fs::File* file_ = nullptr;
  u32 sndbuf_ = kWmemDefault;
  u32 rcvbuf_ = kRmemDefault;
  u64 rcvtimeo_ns_ = kForever;
  u64 sndtimeo_ns_ = kForever;
  bool passcred_ = false;
  bool reuseaddr_ = false;
  bool keepalive_ = false;
  bool broadcast_ = false;
  bool debug_ = false;
  bool dontroute_ = false;
  bool oobinline_ = false;
  bool timestamp_ = false;
  int priority_ = 0;
  int rcvlowat_ = 1;
  Linger linger_{};
};

Result<u64> DeadlineFromTimeout(u64 timeout_ns);

template <typename Pred>
Result<void> Socket::WaitFor(proc::WaitQueue& q, bool nonblock, u64 timeout_ns, Pred pred) {
  if (pred()) return Ok();
  if (nonblock || timeout_ns == 0) return Errno::kEAGAIN;
  if (timeout_ns == kForever) return q.WaitInterruptible(pred);
  u64 deadline = TRY(DeadlineFromTimeout(timeout_ns));
  Result<void> r = q.WaitInterruptibleUntil(pred, deadline);
  if (r.is_error()) {
    if (r.error() == Errno::kETIMEDOUT) return Errno::kEAGAIN;
    if (r.error() == Errno::kERESTARTSYS) return Errno::kEINTR;
  }
  return r;
}

/// The open file of a socket.
class SocketFile final : public fs::File {
 public:
  SocketFile(lib::RefPtr<Socket> socket, u32 flags);
  ~SocketFile() override;

  Socket& socket() const { return *socket_; }
  const lib::RefPtr<Socket>& socket_ref() const { return socket_; }

  /// read(2)/readv(2): recvmsg with no flags; write(2): sendmsg with no flags.
  Result<usize> Read(const fs::IoBuffer& buf, u64& offset) override;
  Result<usize> Write(const fs::IoBuffer& buf, u64& offset) override;
  bool seekable() const override { return false; }
  Result<u64> Seek(i64 offset, int whence) override;
  u32 Poll() override;
  fs::PollQueue* poll_queue() override { return &socket_->poll_queue(); }
  Result<i64> Ioctl(proc::Task& task, u32 cmd, u64 arg) override;
  Result<lib::String> Describe() const override;

 private:
  lib::RefPtr<Socket> socket_;
};

/// Whether `file` is a socket, and the socket if so (ENOTSOCK otherwise).
inline bool IsSocket(const fs::File& file) { return file.kind() == fs::FileKind::kSocket; }
Result<Socket*> AsSocket(fs::File& file);

/// The open file for `socket`; flags: O_NONBLOCK (SOCK_NONBLOCK) or 0. ENOMEM.
Result<lib::RefPtr<fs::File>> MakeSocketFile(lib::RefPtr<Socket> socket, u32 flags);

/// A new inode for a socket (S_IFSOCK | 0777, owned by the caller's fs ids).
Result<lib::RefPtr<fs::Inode>> CreateSocketInode();

/// The calling task's credentials as SCM_CREDENTIALS carries them (tgid, real uid and gid),
/// and as SO_PEERCRED reports them (tgid, effective ids). Kernel tasks are pid 0, root.
UCred CurrentCreds();
UCred CurrentPeerCreds();

/// Sends SIGPIPE to the calling task (a stream write to a shut-down peer without
/// MSG_NOSIGNAL).
void RaiseSigpipe();

}  // namespace kernel::net
