#include "kernel/syscalls/poll.h"

#include <hal/interrupts.h>

#include "kernel/fs/poll.h"
#include "kernel/signal/send.h"
#include "kernel/time/timer.h"

namespace kernel::syscalls {
namespace {

constexpr u64 kNsPerSec = 1'000'000'000;

// select's event sets [fs/select.c].
constexpr u32 kInSet =
    fs::ev::kRdNorm | fs::ev::kRdBand | fs::ev::kIn | fs::ev::kHup | fs::ev::kErr;
constexpr u32 kOutSet = fs::ev::kWrBand | fs::ev::kWrNorm | fs::ev::kOut | fs::ev::kErr;
constexpr u32 kExSet = fs::ev::kPri;

// A relative timeout as an absolute monotonic deadline (kPollNoWait for zero).
u64 DeadlineAfter(u64 ns) {
  if (ns == 0) return fs::kPollNoWait;
  u64 now = time::MonotonicNs();
  u64 d;
  if (lib::AddOverflows(now, ns, &d) || d == fs::kPollForever) return fs::kPollForever - 1;
  return d;
}

Result<u64> DeadlineFromTimespec(const fs::Timespec& ts) {
  if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= static_cast<i64>(kNsPerSec)) return Errno::kEINVAL;
  u64 ns;
  if (lib::MulOverflows(static_cast<u64>(ts.sec), kNsPerSec, &ns) ||
      lib::AddOverflows(ns, static_cast<u64>(ts.nsec), &ns)) {
    return fs::kPollForever - 1;
  }
  return DeadlineAfter(ns);
}

// The time left until `deadline` as a timespec (ppoll/pselect write it back).
fs::Timespec Remaining(u64 deadline) {
  u64 now = time::MonotonicNs();
  if (deadline == fs::kPollNoWait || deadline <= now) return fs::Timespec{0, 0};
  u64 left = deadline - now;
  return fs::Timespec{static_cast<i64>(left / kNsPerSec), static_cast<i64>(left % kNsPerSec)};
}

// The mask of ppoll, pselect6 and epoll_pwait[2]: in force while the call waits. When a signal
// ends the wait the old mask stays saved, so that the handler's frame carries it and sigreturn
// restores it (a signal blocked again by the old mask must still run its handler); otherwise
// it comes back at once [linux set_user_sigmask, restore_saved_sigmask_unless].
class WaitSigmask {
 public:
  explicit WaitSigmask(Task& task) : task_(task) {}
  WaitSigmask(const WaitSigmask&) = delete;
  WaitSigmask& operator=(const WaitSigmask&) = delete;

  Result<void> Install(UserIn<u64> sigmask, usize sigsetsize) {
    if (sigmask.is_null()) return Ok();
    if (sigsetsize != sizeof(u64)) return Errno::kEINVAL;
    signal::SigSet mask(TRY(sigmask.Read()));
    hal::IrqGuard guard;
    signal::TaskSignals& ts = task_.signals();
    ts.saved_mask = ts.blocked;
    ts.restore_mask = true;
    ts.blocked = mask & ~signal::kUnblockable;
    signal::RecalcInterrupt(task_);
    installed_ = true;
    return Ok();
  }

  // Passes `r` through, restoring the mask unless a signal interrupted the wait.
  template <typename T>
  Result<T> Finish(Result<T> r) {
    if (!installed_) return r;
    bool interrupted =
        r.is_error() && (r.error() == Errno::kEINTR || r.error() == Errno::kERESTARTNOHAND);
    if (!interrupted) {
      hal::IrqGuard guard;
      signal::TaskSignals& ts = task_.signals();
      ts.blocked = ts.saved_mask;
      ts.restore_mask = false;
      signal::RecalcInterrupt(task_);
    }
    return r;
  }

 private:
  Task& task_;
  bool installed_ = false;
};

Result<int> PollCommon(Task& task, UserInOut<PollFd> fds, u64 nfds, u64 deadline) {
  fs::Actor actor = TRY(ActorOf(task));
  if (nfds > task.fd_table()->limit()) return Errno::kEINVAL;
  PollFd* user = nullptr;
  fs::PollRequest* reqs = nullptr;
  if (nfds > 0) {
    user = static_cast<PollFd*>(lib::Allocate(sizeof(PollFd) * nfds));
    reqs = static_cast<fs::PollRequest*>(lib::Allocate(sizeof(fs::PollRequest) * nfds));
    if (user == nullptr || reqs == nullptr) {
      lib::Free(user);
      lib::Free(reqs);
      return Errno::kENOMEM;
    }
  }
  Result<int> result = 0;
  Result<void> in = nfds > 0 ? fds.in().ReadArray(user, nfds) : Ok();
  if (in.is_error()) {
    result = in.error();
  } else {
    for (u64 i = 0; i < nfds; ++i) {
      reqs[i] = fs::PollRequest{user[i].fd, static_cast<u16>(user[i].events), 0};
    }
    Result<usize> n = fs::DoPoll(actor, lib::span<fs::PollRequest>(reqs, nfds), deadline);
    if (n.is_error()) {
      result = n.error();
    } else {
      for (u64 i = 0; i < nfds; ++i) user[i].revents = static_cast<i16>(reqs[i].revents);
      Result<void> out = nfds > 0 ? fds.out().WriteArray(user, nfds) : Ok();
      result = out.is_error() ? Result<int>(out.error()) : Result<int>(static_cast<int>(n.value()));
    }
  }
  lib::Free(user);
  lib::Free(reqs);
  return result;
}

Result<int> SelectCommon(Task& task, int nfds, UserInOut<u64> readfds, UserInOut<u64> writefds,
                         UserInOut<u64> exceptfds, u64 deadline) {
  if (nfds < 0) return Errno::kEINVAL;
  fs::Actor actor = TRY(ActorOf(task));
  u32 max = task.fd_table()->limit();
  if (static_cast<u32>(nfds) > max) nfds = static_cast<int>(max);
  usize words = (static_cast<usize>(nfds) + 63) / 64;
  u64* in[3] = {nullptr, nullptr, nullptr};
  UserInOut<u64> user_sets[3] = {readfds, writefds, exceptfds};
  u64* storage = words > 0 ? static_cast<u64*>(lib::Allocate(sizeof(u64) * words * 6)) : nullptr;
  if (words > 0 && storage == nullptr) return Errno::kENOMEM;
  u64* out[3];
  for (int s = 0; s < 3; ++s) {
    in[s] = storage + words * s;
    out[s] = storage + words * (3 + s);
  }
  Result<int> result = 0;
  usize count = 0;
  fs::PollRequest* reqs = nullptr;
  for (int s = 0; s < 3 && result.ok(); ++s) {
    for (usize w = 0; w < words; ++w) {
      in[s][w] = 0;
      out[s][w] = 0;
    }
    if (words > 0 && !user_sets[s].is_null()) {
      Result<void> r = user_sets[s].in().ReadArray(in[s], words);
      if (r.is_error()) result = r.error();
    }
  }
  // Bits past nfds in the last word are ignored.
  if (result.ok() && words > 0 && nfds % 64 != 0) {
    for (int s = 0; s < 3; ++s) in[s][words - 1] &= (u64{1} << (nfds % 64)) - 1;
  }
  if (result.ok()) {
    for (int fd = 0; fd < nfds; ++fd) {
      if ((in[0][fd / 64] | in[1][fd / 64] | in[2][fd / 64]) & (u64{1} << (fd % 64))) ++count;
    }
    if (count > 0) {
      reqs = static_cast<fs::PollRequest*>(lib::Allocate(sizeof(fs::PollRequest) * count));
      if (reqs == nullptr) result = Errno::kENOMEM;
    }
  }
  if (result.ok()) {
    usize i = 0;
    for (int fd = 0; fd < nfds; ++fd) {
      u64 bit = u64{1} << (fd % 64);
      u32 events = 0;
      if (in[0][fd / 64] & bit) events |= kInSet;
      if (in[1][fd / 64] & bit) events |= kOutSet;
      if (in[2][fd / 64] & bit) events |= kExSet;
      if (events == 0) continue;
      if (actor.FileOf(fd).is_error()) {
        result = Errno::kEBADF;  // select refuses closed descriptors
        break;
      }
      reqs[i++] = fs::PollRequest{fd, events, 0};
    }
  }
  if (result.ok()) {
    Result<usize> n = fs::DoPoll(actor, lib::span<fs::PollRequest>(reqs, count), deadline);
    if (n.is_error()) {
      result = n.error();
    } else {
      int bits = 0;
      for (usize i = 0; i < count; ++i) {
        int fd = reqs[i].fd;
        u64 bit = u64{1} << (fd % 64);
        u32 rev = reqs[i].revents;
        if ((in[0][fd / 64] & bit) && (rev & kInSet)) {
          out[0][fd / 64] |= bit;
          ++bits;
        }
        if ((in[1][fd / 64] & bit) && (rev & kOutSet)) {
          out[1][fd / 64] |= bit;
          ++bits;
        }
        if ((in[2][fd / 64] & bit) && (rev & kExSet)) {
          out[2][fd / 64] |= bit;
          ++bits;
        }
      }
      for (int s = 0; s < 3 && result.ok(); ++s) {
        if (words > 0 && !user_sets[s].is_null()) {
          Result<void> w = user_sets[s].out().WriteArray(out[s], words);
          if (w.is_error()) result = w.error();
        }
      }
      if (result.ok()) result = bits;
    }
  }
  lib::Free(reqs);
  lib::Free(storage);
  return result;
}

Result<int> EpollWaitCommon(Task& task, Fd epfd, UserOut<fs::EpollEvent> events, int maxevents,
                            u64 deadline) {
  if (maxevents <= 0 || static_cast<usize>(maxevents) > 0x7fffffff / sizeof(fs::EpollEvent)) {
    return Errno::kEINVAL;
  }
  if (!mm::IsUserRange(events.addr(), sizeof(fs::EpollEvent) * static_cast<usize>(maxevents))) {
    return Errno::kEFAULT;
  }
  lib::RefPtr<fs::File> ep = TRY(GetFile(task, epfd.value));
  if (!fs::IsEpoll(*ep)) return Errno::kEINVAL;
  usize max = static_cast<usize>(maxevents) < 1024 ? static_cast<usize>(maxevents) : 1024;
  auto* kbuf = static_cast<fs::EpollEvent*>(lib::Allocate(sizeof(fs::EpollEvent) * max));
  if (kbuf == nullptr) return Errno::kENOMEM;
  Result<usize> n = fs::EpollWait(*ep, kbuf, max, deadline);
  Result<void> copied = n.ok() && n.value() > 0 ? events.WriteArray(kbuf, n.value()) : Ok();
  lib::Free(kbuf);
  usize got = TRY(n);
  TRY(copied);
  return static_cast<int>(got);
}

u64 DeadlineFromMs(int timeout_ms) {
  if (timeout_ms < 0) return fs::kPollForever;
  return DeadlineAfter(static_cast<u64>(timeout_ms) * 1'000'000);
}

}  // namespace

// int poll(struct pollfd *fds, nfds_t nfds, int timeout);  [man 2 poll]
Result<int> sys_poll(Task& task, UserInOut<PollFd> fds, u64 nfds, int timeout_ms) {
  return PollCommon(task, fds, nfds, DeadlineFromMs(timeout_ms));
}

// int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *tmo_p,
//           const sigset_t *sigmask, size_t sigsetsize);  [man 2 ppoll]
Result<int> sys_ppoll(Task& task, UserInOut<PollFd> fds, u64 nfds, UserInOut<fs::Timespec> timeout,
                      UserIn<u64> sigmask, usize sigsetsize) {
  u64 deadline = fs::kPollForever;
  if (!timeout.is_null()) {
    fs::Timespec ts = TRY(timeout.Read());
    deadline = TRY(DeadlineFromTimespec(ts));
  }
  WaitSigmask mask(task);
  TRY(mask.Install(sigmask, sigsetsize));
  Result<int> r = mask.Finish(PollCommon(task, fds, nfds, deadline));
  if (!timeout.is_null() && (r.ok() || r.error() == Errno::kERESTARTNOHAND)) {
    TRY(timeout.Write(Remaining(deadline)));
  }
  return r;
}

// int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
//            struct timeval *timeout);  [man 2 select]
Result<int> sys_select(Task& task, int nfds, UserInOut<u64> readfds, UserInOut<u64> writefds,
                       UserInOut<u64> exceptfds, UserInOut<SelectTimeval> timeout) {
  u64 deadline = fs::kPollForever;
  if (!timeout.is_null()) {
    SelectTimeval tv = TRY(timeout.Read());
    if (tv.sec < 0 || tv.usec < 0 || tv.usec >= 1'000'000) return Errno::kEINVAL;
    deadline = TRY(DeadlineFromTimespec(fs::Timespec{tv.sec, tv.usec * 1000}));
  }
  Result<int> r = SelectCommon(task, nfds, readfds, writefds, exceptfds, deadline);
  if (!timeout.is_null() && (r.ok() || r.error() == Errno::kERESTARTNOHAND)) {
    fs::Timespec left = Remaining(deadline);
    TRY(timeout.Write(SelectTimeval{left.sec, left.nsec / 1000}));
  }
  return r;
}

// int pselect6(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
//              struct timespec *timeout, void *sig);  [man 2 pselect]
Result<int> sys_pselect6(Task& task, int nfds, UserInOut<u64> readfds, UserInOut<u64> writefds,
                         UserInOut<u64> exceptfds, UserInOut<fs::Timespec> timeout,
                         UserIn<SigsetArg> sig) {
  u64 deadline = fs::kPollForever;
  if (!timeout.is_null()) {
    fs::Timespec ts = TRY(timeout.Read());
    deadline = TRY(DeadlineFromTimespec(ts));
  }
  WaitSigmask mask(task);
  if (!sig.is_null()) {
    SigsetArg s = TRY(sig.Read());
    if (s.ss != 0) TRY(mask.Install(UserIn<u64>(s.ss), s.ss_len));
  }
  Result<int> r = mask.Finish(SelectCommon(task, nfds, readfds, writefds, exceptfds, deadline));
  if (!timeout.is_null() && (r.ok() || r.error() == Errno::kERESTARTNOHAND)) {
    TRY(timeout.Write(Remaining(deadline)));
  }
  return r;
}

// int epoll_create(int size);  [man 2 epoll_create]
Result<Fd> sys_epoll_create(Task& task, int size) {
  if (size <= 0) return Errno::kEINVAL;
  return sys_epoll_create1(task, Hex{0});
}

// int epoll_create1(int flags);  [man 2 epoll_create1]
Result<Fd> sys_epoll_create1(Task& task, Hex flags) {
  if (flags.value & ~u64{fs::o::kCloexec}) return Errno::kEINVAL;
  lib::RefPtr<fs::File> ep = TRY(fs::CreateEpoll(static_cast<u32>(flags.value)));
  u32 fd_flags = (flags.value & fs::o::kCloexec) ? fs::kFdCloexec : 0;
  return Fd{TRY(task.fd_table()->Install(lib::move(ep), fd_flags))};
}

// int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event);  [man 2 epoll_ctl]
Result<void> sys_epoll_ctl(Task& task, Fd epfd, int op, Fd fd, UserIn<fs::EpollEvent> event) {
  fs::EpollEvent ev{};
  bool has_event = op != fs::kEpollCtlDel;
  if (has_event) ev = TRY(event.Read());
  lib::RefPtr<fs::File> ep = TRY(GetFile(task, epfd.value));
  lib::RefPtr<fs::File> target = TRY(GetFile(task, fd.value));
  if (epfd.value == fd.value || !fs::IsEpoll(*ep)) return Errno::kEINVAL;
  return fs::EpollCtl(*ep, op, fd.value, *target, has_event ? &ev : nullptr);
}

// int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout);
Result<int> sys_epoll_wait(Task& task, Fd epfd, UserOut<fs::EpollEvent> events, int maxevents,
                           int timeout_ms) {
  return EpollWaitCommon(task, epfd, events, maxevents, DeadlineFromMs(timeout_ms));
}

// int epoll_pwait(int epfd, struct epoll_event *events, int maxevents, int timeout,
//                 const sigset_t *sigmask);  (the raw call adds sigsetsize)
Result<int> sys_epoll_pwait(Task& task, Fd epfd, UserOut<fs::EpollEvent> events, int maxevents,
                            int timeout_ms, UserIn<u64> sigmask, usize sigsetsize) {
  WaitSigmask mask(task);
  TRY(mask.Install(sigmask, sigsetsize));
  return mask.Finish(EpollWaitCommon(task, epfd, events, maxevents, DeadlineFromMs(timeout_ms)));
}

// int epoll_pwait2(int epfd, struct epoll_event *events, int maxevents,
//                  const struct timespec *timeout, const sigset_t *sigmask);
Result<int> sys_epoll_pwait2(Task& task, Fd epfd, UserOut<fs::EpollEvent> events, int maxevents,
                             UserIn<fs::Timespec> timeout, UserIn<u64> sigmask, usize sigsetsize) {
  u64 deadline = fs::kPollForever;
  if (!timeout.is_null()) {
    fs::Timespec ts = TRY(timeout.Read());
    deadline = TRY(DeadlineFromTimespec(ts));
  }
  WaitSigmask mask(task);
  TRY(mask.Install(sigmask, sigsetsize));
  return mask.Finish(EpollWaitCommon(task, epfd, events, maxevents, deadline));
}

}  // namespace kernel::syscalls
