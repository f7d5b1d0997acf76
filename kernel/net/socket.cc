#include "kernel/net/socket.h"

#include "kernel/fs/anon_inode.h"
#include "kernel/mm/user_ptr.h"
#include "kernel/proc/process.h"
#include "kernel/proc/scheduler.h"
#include "kernel/proc/task.h"
#include "kernel/signal/send.h"
#include "kernel/time/timer.h"

namespace kernel::net {
namespace {

constexpr u64 kNsPerSec = 1'000'000'000;
constexpr u64 kNsPerUsec = 1'000;

int IntOf(const OptionValue& v) {
  int x;
  __builtin_memcpy(&x, v.bytes, sizeof(x));
  return x;
}

void PutInt(OptionValue& v, int x) {
  __builtin_memcpy(v.bytes, &x, sizeof(x));
  v.len = sizeof(x);
}

// sock_set_timeout: a struct timeval; zero means wait for ever, a negative time never waits.
Result<u64> TimeoutFrom(const OptionValue& v) {
  if (v.len < sizeof(Timeval)) return Errno::kEINVAL;
  Timeval tv;
  __builtin_memcpy(&tv, v.bytes, sizeof(tv));
  if (tv.usec < 0 || tv.usec >= 1'000'000) return Errno::kEDOM;
  if (tv.sec < 0) return u64{0};
  if (tv.sec == 0 && tv.usec == 0) return kForever;
  if (static_cast<u64>(tv.sec) >= (kForever - 1) / kNsPerSec - 1) return kForever;
  return static_cast<u64>(tv.sec) * kNsPerSec + static_cast<u64>(tv.usec) * kNsPerUsec;
}

void PutTimeout(OptionValue& v, u64 ns) {
  Timeval tv{0, 0};
  if (ns != kForever) {
    tv.sec = static_cast<i64>(ns / kNsPerSec);
    tv.usec = static_cast<i64>((ns % kNsPerSec) / kNsPerUsec);
  }
  __builtin_memcpy(v.bytes, &tv, sizeof(tv));
  v.len = sizeof(tv);
}

// __sock_set_sndbuf / __sock_set_rcvbuf: twice what was asked (for bookkeeping overhead), at
// least the minimum.
u32 DoubledBuffer(u32 val, u32 minimum) {
  constexpr u32 kIntMaxHalf = 0x7fffffff / 2;
  if (val > kIntMaxHalf) val = kIntMaxHalf;
  u32 doubled = val * 2;
  return doubled < minimum ? minimum : doubled;
}

}  // namespace

Result<u64> DeadlineFromTimeout(u64 timeout_ns) {
  u64 now = time::MonotonicNs();
  if (timeout_ns > ~u64{0} - now) return ~u64{0} - 1;
  return now + timeout_ns;
}

// ---- Socket ----

Socket::Socket(int family, int type, int protocol, lib::RefPtr<fs::Inode> inode)
    : family_(family), type_(type), protocol_(protocol), inode_(lib::move(inode)) {}

Socket::~Socket() = default;

Result<void> Socket::GetOption(int level, int name, OptionValue& v) {
  if (level != kSolSocket) return Errno::kEOPNOTSUPP;
  if (GetFamilyOption(name, v)) return Ok();
  switch (name) {
    case so::kDebug:
      PutInt(v, debug_);
      break;
    case so::kReuseAddr:
      PutInt(v, reuseaddr_);
      break;
    case so::kReusePort:
      PutInt(v, 0);
      break;
    case so::kType:
      PutInt(v, type_);
      break;
    case so::kDomain:
      PutInt(v, family_);
      break;
    case so::kProtocol:
      PutInt(v, protocol_);
      break;
    case so::kError:
      PutInt(v, TakeError());
      break;
    case so::kDontRoute:
      PutInt(v, dontroute_);
      break;
    case so::kBroadcast:
      PutInt(v, broadcast_);
      break;
    case so::kSndBuf:
      PutInt(v, static_cast<int>(sndbuf_));
      break;
    case so::kRcvBuf:
      PutInt(v, static_cast<int>(rcvbuf_));
      break;
    case so::kKeepAlive:
      PutInt(v, keepalive_);
      break;
    case so::kOobInline:
      PutInt(v, oobinline_);
      break;
    case so::kNoCheck:
      PutInt(v, 0);
      break;
    case so::kPriority:
      PutInt(v, priority_);
      break;
    case so::kBsdCompat:
      PutInt(v, 0);
      break;
    case so::kPassCred:
      PutInt(v, passcred_);
      break;
    case so::kRcvLowat:
      PutInt(v, rcvlowat_);
      break;
    case so::kSndLowat:
      PutInt(v, 1);
      break;
    case so::kTimestamp:
      PutInt(v, timestamp_);
      break;
    case so::kLinger:
      __builtin_memcpy(v.bytes, &linger_, sizeof(linger_));
      v.len = sizeof(linger_);
      break;
    case so::kRcvTimeo:
      PutTimeout(v, rcvtimeo_ns_);
      break;
    case so::kSndTimeo:
      PutTimeout(v, sndtimeo_ns_);
      break;
    default:
      return Errno::kENOPROTOOPT;
  }
  return Ok();
}

// sk_setsockopt [net/core/sock.c]: every option takes at least an int.
Result<void> Socket::SetOption(int level, int name, const OptionValue& v, bool privileged) {
  if (level != kSolSocket) return Errno::kEOPNOTSUPP;
  if (v.len < sizeof(int)) return Errno::kEINVAL;
  int val = IntOf(v);
  bool on = val != 0;
  switch (name) {
    case so::kDebug:
      if (on && !privileged) return Errno::kEACCES;
      debug_ = on;
      break;
    case so::kReuseAddr:
      reuseaddr_ = on;
      break;
    case so::kReusePort:
      break;
    case so::kDontRoute:
      dontroute_ = on;
      break;
    case so::kBroadcast:
      broadcast_ = on;
      break;
    case so::kKeepAlive:
      keepalive_ = on;
      break;
    case so::kOobInline:
      oobinline_ = on;
      break;
    case so::kNoCheck:
    case so::kBsdCompat:
      break;
    case so::kTimestamp:
      timestamp_ = on;
      break;
    case so::kPassCred:
      passcred_ = on;
      break;
    case so::kSndBuf:
    case so::kSndBufForce: {
      u32 u = static_cast<u32>(val);
      if (name == so::kSndBufForce) {
        if (!privileged) return Errno::kEPERM;
        if (val < 0) u = 0;
      } else if (u > kWmemMax) {
        u = kWmemMax;
      }
      sndbuf_ = DoubledBuffer(u, kSockMinSndBuf);
      OnBufferChange();
      break;
    }
    case so::kRcvBuf:
    case so::kRcvBufForce: {
      u32 u = static_cast<u32>(val);
      if (name == so::kRcvBufForce) {
        if (!privileged) return Errno::kEPERM;
        if (val < 0) u = 0;
      } else if (u > kRmemMax) {
        u = kRmemMax;
      }
      rcvbuf_ = DoubledBuffer(u, kSockMinRcvBuf);
      OnBufferChange();
      break;
    }
    case so::kPriority:
      if ((val < 0 || val > 6) && !privileged) return Errno::kEPERM;
      priority_ = val;
      break;
    case so::kLinger:
      if (v.len < sizeof(Linger)) return Errno::kEINVAL;
      __builtin_memcpy(&linger_, v.bytes, sizeof(linger_));
      linger_.onoff = linger_.onoff != 0 ? 1 : 0;
      break;
    case so::kRcvLowat:
      rcvlowat_ = val < 0 ? 0x7fffffff : (val == 0 ? 1 : val);
      break;
    case so::kRcvTimeo:
      rcvtimeo_ns_ = TRY(TimeoutFrom(v));
      break;
    case so::kSndTimeo:
      sndtimeo_ns_ = TRY(TimeoutFrom(v));
      break;
    default:
      return Errno::kENOPROTOOPT;
  }
  return Ok();
}

// ---- SocketFile ----

SocketFile::SocketFile(lib::RefPtr<Socket> socket, u32 flags)
    : File(fs::FileKind::kSocket, fs::Path{}, socket->inode(),
           fs::o::kRdWr | (flags & fs::o::kNonBlock)),
      socket_(lib::move(socket)) {
  socket_->set_file(this);
}

SocketFile::~SocketFile() {
  socket_->set_file(nullptr);
  socket_->Close();
}

Result<usize> SocketFile::Read(const fs::IoBuffer& buf, u64&) {
  RecvRequest req;
  req.data = &buf;
  req.nonblock = nonblocking();
  usize n = TRY(socket_->Receive(req));
  // read(2) has nowhere to put passed files: they are closed, as Linux's scm_destroy does.
  return n;
}

Result<usize> SocketFile::Write(const fs::IoBuffer& buf, u64&) {
  SendRequest req;
  req.data = &buf;
  req.nonblock = nonblocking();
  return socket_->Send(req);
}

Result<u64> SocketFile::Seek(i64, int) { return Errno::kESPIPE; }

u32 SocketFile::Poll() { return socket_->Poll(); }

Result<i64> SocketFile::Ioctl(proc::Task&, u32 cmd, u64 arg) {
  if (cmd == fs::ioctl::kFionread) {
    TRY(mm::UserOut<int>(arg).Write(static_cast<int>(socket_->BytesReadable())));
    return 0;
  }
  return Errno::kENOTTY;
}

Result<lib::String> SocketFile::Describe() const {
  return lib::String::TryFormat("socket:[%llu]",
                                static_cast<unsigned long long>(socket_->inode()->ino()));
}

Result<Socket*> AsSocket(fs::File& file) {
  if (!IsSocket(file)) return Errno::kENOTSOCK;
  return &static_cast<SocketFile&>(file).socket();
}

Result<lib::RefPtr<fs::File>> MakeSocketFile(lib::RefPtr<Socket> socket, u32 flags) {
  return fs::MakeFile<SocketFile>(lib::move(socket), flags);
}

Result<lib::RefPtr<fs::Inode>> CreateSocketInode() {
  UCred c = CurrentPeerCreds();
  return fs::CreateAnonInode(fs::mode::kSocket | 0777, c.uid, c.gid);
}

UCred CurrentCreds() {
  proc::Task* t = proc::sched::Current();
  if (t == nullptr) return UCred{0, 0, 0};
  i32 pid = t->process() != nullptr ? static_cast<i32>(t->process()->pid()) : 0;
  return UCred{pid, t->credentials().uid, t->credentials().gid};
}

UCred CurrentPeerCreds() {
  proc::Task* t = proc::sched::Current();
  if (t == nullptr) return UCred{0, 0, 0};
  i32 pid = t->process() != nullptr ? static_cast<i32>(t->process()->pid()) : 0;
  return UCred{pid, t->credentials().euid, t->credentials().egid};
}

void RaiseSigpipe() {
  proc::Task* t = proc::sched::Current();
  if (t == nullptr || t->process() == nullptr) return;  // kernel tasks take no signals
  (void)signal::SendToTask(*t, signal::UserInfo(signal::kSigPipe, signal::kSiUser, *t));
}

}  // namespace kernel::net
