// The data transfer calls of sockets: sendto, recvfrom, sendmsg, recvmsg, with their control
// messages (SCM_RIGHTS, SCM_CREDENTIALS) [net/socket.c, net/core/scm.c].
#include "kernel/lib/alloc.h"
#include "kernel/mm/user_ptr.h"
#include "kernel/proc/process.h"
#include "kernel/syscalls/net.h"

namespace kernel::syscalls {
namespace {

using net_internal::CopyAddressIn;
using net_internal::CopyAddressOut;
using net_internal::SocketOf;

// import_iovec for a msghdr: at most UIO_MAXIOV segments (EMSGSIZE, as copy_msghdr_from_user
// says), each checked, the total capped at MAX_RW_COUNT.
class MsgIov {
 public:
  ~MsgIov() { lib::Free(segs_); }
  Result<void> Import(u64 iov, u64 count) {
    if (count > fs::kIovMax) return Errno::kEMSGSIZE;
    count_ = static_cast<usize>(count);
    if (count_ == 0) return Ok();
    segs_ = static_cast<fs::IoSegment*>(lib::Allocate(sizeof(fs::IoSegment) * count_));
    if (segs_ == nullptr) return Errno::kENOMEM;
    TRY(UserIn<fs::IoSegment>(iov).ReadArray(segs_, count_));
    for (usize i = 0; i < count_; ++i) {
      if (static_cast<isize>(segs_[i].len) < 0) return Errno::kEINVAL;
      if (!mm::IsUserRange(segs_[i].base, segs_[i].len)) return Errno::kEFAULT;
      usize room = fs::kMaxRwCount - total_;
      if (segs_[i].len > room) segs_[i].len = room;
      total_ += segs_[i].len;
    }
    return Ok();
  }
  fs::IoBuffer buffer() const { return fs::IoBuffer::UserVector(segs_, count_, total_); }

 private:
  fs::IoSegment* segs_ = nullptr;
  usize count_ = 0;
  usize total_ = 0;
};

// A kernel copy of the control buffer (sock_kmalloc: at most optmem_max, else ENOBUFS).
class ControlBuffer {
 public:
  ~ControlBuffer() { lib::Free(buf_); }
  Result<void> CopyIn(u64 addr, u64 len) {
    if (len > 0x7fffffff || len > net::kOptMemMax) return Errno::kENOBUFS;
    len_ = static_cast<usize>(len);
    if (len_ == 0) return Ok();
    buf_ = static_cast<u8*>(lib::Allocate(len_));
    if (buf_ == nullptr) return Errno::kENOBUFS;
    return mm::CopyFromUser(buf_, addr, len_);
  }
  const u8* data() const { return buf_; }
  usize size() const { return len_; }

 private:
  u8* buf_ = nullptr;
  usize len_ = 0;
};

// scm_check_creds: one's own pid, and ids one holds, unless privileged.
Result<void> CheckCreds(Task& task, const net::UCred& c) {
  const proc::Credentials& cr = task.credentials();
  bool privileged = cr.euid == 0;
  i32 own = task.process() != nullptr ? static_cast<i32>(task.process()->pid()) : 0;
  if (c.pid != own && !privileged) return Errno::kEPERM;
  bool uid_ok = c.uid == cr.uid || c.uid == cr.euid || c.uid == cr.suid;
  bool gid_ok = c.gid == cr.gid || c.gid == cr.egid || c.gid == cr.sgid;
  if ((!uid_ok || !gid_ok) && !privileged) return Errno::kEPERM;
  return Ok();
}

// __scm_send: walks the control messages. Unknown SOL_SOCKET types are EINVAL; other levels
// are skipped.
Result<void> ParseControl(Task& task, const ControlBuffer& ctl, net::Ancillary& out) {
  usize off = 0;
  while (ctl.size() - off >= sizeof(net::CmsgHdr)) {
    net::CmsgHdr h;
    __builtin_memcpy(&h, ctl.data() + off, sizeof(h));
    if (h.len < sizeof(net::CmsgHdr) || h.len > ctl.size() - off) return Errno::kEINVAL;
    if (h.level == net::kSolSocket) {
      const u8* body = ctl.data() + off + sizeof(net::CmsgHdr);
      usize body_len = h.len - sizeof(net::CmsgHdr);
      if (h.type == net::kScmRights) {
        usize num = body_len / sizeof(int);
        if (out.files.size() + num > net::kScmMaxFd) return Errno::kEINVAL;
        TRY(out.files.TryReserve(out.files.size() + num));
        for (usize i = 0; i < num; ++i) {
          int fd;
          __builtin_memcpy(&fd, body + i * sizeof(int), sizeof(fd));
          lib::RefPtr<fs::File> f = TRY(GetFileRaw(task, fd));
          TRY(out.files.TryPush(lib::move(f)));
        }
      } else if (h.type == net::kScmCredentials) {
        if (h.len != net::CmsgLen(sizeof(net::UCred))) return Errno::kEINVAL;
        __builtin_memcpy(&out.creds, body, sizeof(out.creds));
        TRY(CheckCreds(task, out.creds));
        out.has_creds = true;
      } else {
        return Errno::kEINVAL;
      }
    }
    usize step = net::CmsgAlign(h.len);
    if (step > ctl.size() - off) break;
    off += step;
  }
  return Ok();
}

// put_cmsg / scm_detach_fds: writes control messages into the caller's buffer, as much as
// fits, setting MSG_CTRUNC for what does not.
class ControlWriter {
 public:
  ControlWriter(u64 addr, usize len) : addr_(addr), room_(len) {}

  void Put(int level, int type, const void* data, usize n, u32& msg_flags) {
    if (room_ < sizeof(net::CmsgHdr)) {
      msg_flags |= net::msg::kCtrunc;
      return;
    }
    usize cmlen = net::CmsgLen(n);
    if (room_ < cmlen) {
      msg_flags |= net::msg::kCtrunc;
      cmlen = room_;
    }
    net::CmsgHdr h{cmlen, level, type};
    if (mm::CopyToUser(addr_ + used_, &h, sizeof(h)).is_error()) return;
    if (mm::CopyToUser(addr_ + used_ + sizeof(h), data, cmlen - sizeof(h)).is_error()) return;
    Advance(net::CmsgSpace(n));
  }

  // Installs the passed files as new descriptors, as many as the buffer has room for.
  void PutFiles(Task& task, net::FileList& files, bool cloexec, u32& msg_flags) {
    usize fdmax = room_ > sizeof(net::CmsgHdr) ? (room_ - sizeof(net::CmsgHdr)) / sizeof(int) : 0;
    usize i = 0;
    u64 data = addr_ + used_ + sizeof(net::CmsgHdr);
    for (; i < fdmax && i < files.size(); ++i) {
      Result<int> fd = task.fd_table()->Install(files[i], cloexec ? fs::kFdCloexec : 0);
      if (fd.is_error()) break;
      int v = fd.value();
      if (mm::CopyToUser(data + i * sizeof(int), &v, sizeof(v)).is_error()) {
        (void)task.fd_table()->Remove(v);
        break;
      }
    }
    if (i > 0) {
      usize cmlen = net::CmsgLen(i * sizeof(int));
      net::CmsgHdr h{cmlen, net::kSolSocket, net::kScmRights};
      if (mm::CopyToUser(addr_ + used_, &h, sizeof(h)).ok())
        Advance(net::CmsgSpace(i * sizeof(int)));
    }
    if (i < files.size()) msg_flags |= net::msg::kCtrunc;
    files = net::FileList();  // the rest are closed
  }

  usize used() const { return used_; }

 private:
  void Advance(usize n) {
    if (n > room_) n = room_;
    used_ += n;
    room_ -= n;
  }

  u64 addr_;
  usize room_;
  usize used_ = 0;
};

// ---- the common paths ----

Result<isize> DoSend(Task& task, Fd fd, const fs::IoBuffer& data, u32 flags,
                     const net::SockAddr* to, net::Ancillary* ancillary) {
  lib::RefPtr<fs::File> file;
  net::Socket* sock = TRY(SocketOf(task, fd.value, file));
  fs::Actor actor;
  if (task.fs_context()) actor = fs::Actor::Of(task);
  net::SendRequest req;
  req.data = &data;
  req.to = to;
  req.flags = flags;
  req.nonblock = file->nonblocking() || (flags & net::msg::kDontWait) != 0;
  req.ancillary = ancillary;
  req.actor = task.fs_context() ? &actor : nullptr;
  usize n = TRY(sock->Send(req));
  return static_cast<isize>(n);
}

}  // namespace

// ssize_t sendto(int sockfd, const void *buf, size_t len, int flags,
//                const struct sockaddr *dest_addr, socklen_t addrlen);  [man 2 send]
Result<isize> sys_sendto(Task& task, Fd fd, UserIn<u8> buf, usize len, Hex flags, UserIn<u8> addr,
                         int addrlen) {
  if (len > fs::kMaxRwCount) len = fs::kMaxRwCount;
  if (!mm::IsUserRange(buf.addr(), len)) return Errno::kEFAULT;
  net::SockAddr to;
  if (!addr.is_null()) TRY(CopyAddressIn(addr, addrlen, to));
  fs::IoBuffer data = fs::IoBuffer::User(buf.addr(), len);
  return DoSend(task, fd, data, static_cast<u32>(flags.value), addr.is_null() ? nullptr : &to,
                nullptr);
}

// ssize_t recvfrom(int sockfd, void *buf, size_t len, int flags,
//                  struct sockaddr *src_addr, socklen_t *addrlen);  [man 2 recv]
Result<isize> sys_recvfrom(Task& task, Fd fd, UserOut<u8> buf, usize len, Hex flags,
                           UserOut<u8> addr, UserInOut<int> addrlen) {
  if (len > fs::kMaxRwCount) len = fs::kMaxRwCount;
  if (!mm::IsUserRange(buf.addr(), len)) return Errno::kEFAULT;
  lib::RefPtr<fs::File> file;
  net::Socket* sock = TRY(SocketOf(task, fd.value, file));
  fs::IoBuffer data = fs::IoBuffer::User(buf.addr(), len);
  net::RecvRequest req;
  req.data = &data;
  req.flags = static_cast<u32>(flags.value);
  req.nonblock = file->nonblocking() || (req.flags & net::msg::kDontWait) != 0;
  req.want_from = !addr.is_null();
  usize n = TRY(sock->Receive(req));
  if (!addr.is_null()) TRY(CopyAddressOut(req.out.from, addr, addrlen));
  return static_cast<isize>(n);
}

// ssize_t sendmsg(int sockfd, const struct msghdr *msg, int flags);  [man 2 sendmsg]
Result<isize> sys_sendmsg(Task& task, Fd fd, UserIn<net::MsgHdr> umsg, Hex flags) {
  if (flags.value & net::msg::kCmsgCompat) return Errno::kEINVAL;
  lib::RefPtr<fs::File> file;
  TRY(SocketOf(task, fd.value, file));
  net::MsgHdr m = TRY(umsg.Read());
  net::SockAddr to;
  bool has_to = false;
  if (m.name != 0) {
    i32 namelen = static_cast<i32>(m.namelen);
    if (namelen < 0) return Errno::kEINVAL;
    if (static_cast<usize>(namelen) > net::kSockaddrStorage) namelen = net::kSockaddrStorage;
    TRY(CopyAddressIn(UserIn<u8>(m.name), namelen, to));
    has_to = namelen > 0;
  }
  MsgIov iov;
  TRY(iov.Import(m.iov, m.iovlen));
  ControlBuffer ctl;
  TRY(ctl.CopyIn(m.control, m.controllen));
  net::Ancillary anc;
  TRY(ParseControl(task, ctl, anc));
  fs::IoBuffer data = iov.buffer();
  return DoSend(task, fd, data, static_cast<u32>(flags.value), has_to ? &to : nullptr, &anc);
}

// ssize_t recvmsg(int sockfd, struct msghdr *msg, int flags);  [man 2 recvmsg]
Result<isize> sys_recvmsg(Task& task, Fd fd, UserInOut<net::MsgHdr> umsg, Hex flags) {
  if (flags.value & net::msg::kCmsgCompat) return Errno::kEINVAL;
  lib::RefPtr<fs::File> file;
  net::Socket* sock = TRY(SocketOf(task, fd.value, file));
  net::MsgHdr m = TRY(umsg.Read());
  if (m.name != 0 && static_cast<i32>(m.namelen) < 0) return Errno::kEINVAL;
  MsgIov iov;
  TRY(iov.Import(m.iov, m.iovlen));
  fs::IoBuffer data = iov.buffer();
  net::RecvRequest req;
  req.data = &data;
  req.flags = static_cast<u32>(flags.value);
  req.nonblock = file->nonblocking() || (req.flags & net::msg::kDontWait) != 0;
  req.want_from = m.name != 0;
  usize n = TRY(sock->Receive(req));
  u32 msg_flags = req.out.msg_flags | (req.flags & net::msg::kCmsgCloexec);
  ControlWriter cw(m.control, static_cast<usize>(m.controllen));
  if (req.out.has_creds) {
    cw.Put(net::kSolSocket, net::kScmCredentials, &req.out.creds, sizeof(req.out.creds), msg_flags);
  }
  if (!req.out.files.empty()) {
    cw.PutFiles(task, req.out.files, (req.flags & net::msg::kCmsgCloexec) != 0, msg_flags);
  }
  // The name: as much as msg_namelen allows; msg_namelen becomes its full length (0: none).
  u32 namelen = 0;
  if (m.name != 0) {
    namelen = req.out.from.len;
    u32 copy = m.namelen < namelen ? m.namelen : namelen;
    if (copy > 0) TRY(mm::CopyToUser(m.name, req.out.from.bytes, copy));
  }
  UserOut<u8> base(umsg.addr());
  TRY(mm::CopyToUser(base.addr() + offsetof(net::MsgHdr, namelen), &namelen, sizeof(namelen)));
  u64 controllen = cw.used();
  TRY(mm::CopyToUser(base.addr() + offsetof(net::MsgHdr, controllen), &controllen,
                     sizeof(controllen)));
  i32 out_flags = static_cast<i32>(msg_flags);
  TRY(mm::CopyToUser(base.addr() + offsetof(net::MsgHdr, flags), &out_flags, sizeof(out_flags)));
  return static_cast<isize>(n);
}

}  // namespace kernel::syscalls
