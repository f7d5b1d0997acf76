#pragma once
// Readiness: poll/ppoll, select/pselect6, epoll, [kernel/syscalls/poll.cc].
#include "kernel/fs/epoll.h"
#include "kernel/syscalls/fs_common.h"

namespace kernel::syscalls {

using proc::Task;

/// struct pollfd.
struct PollFd {
  int fd;
  i16 events;
  i16 revents;
};
/// struct timeval (select).
struct SelectTimeval {
  i64 sec;
  i64 usec;
};
/// pselect6's sixth argument: { const sigset_t *ss; size_t ss_len; }.
struct SigsetArg {
  u64 ss;
  u64 ss_len;
};

Result<int> sys_poll(Task& task, UserInOut<PollFd> fds, u64 nfds, int timeout_ms);
Result<int> sys_ppoll(Task& task, UserInOut<PollFd> fds, u64 nfds, UserInOut<fs::Timespec> timeout,
                      UserIn<u64> sigmask, usize sigsetsize);
Result<int> sys_select(Task& task, int nfds, UserInOut<u64> readfds, UserInOut<u64> writefds,
                       UserInOut<u64> exceptfds, UserInOut<SelectTimeval> timeout);
Result<int> sys_pselect6(Task& task, int nfds, UserInOut<u64> readfds, UserInOut<u64> writefds,
                         UserInOut<u64> exceptfds, UserInOut<fs::Timespec> timeout,
                         UserIn<SigsetArg> sig);
Result<Fd> sys_epoll_create(Task& task, int size);
Result<Fd> sys_epoll_create1(Task& task, Hex flags);
Result<void> sys_epoll_ctl(Task& task, Fd epfd, int op, Fd fd, UserIn<fs::EpollEvent> event);
Result<int> sys_epoll_wait(Task& task, Fd epfd, UserOut<fs::EpollEvent> events, int maxevents,
                           int timeout_ms);
Result<int> sys_epoll_pwait(Task& task, Fd epfd, UserOut<fs::EpollEvent> events, int maxevents,
                            int timeout_ms, UserIn<u64> sigmask, usize sigsetsize);
Result<int> sys_epoll_pwait2(Task& task, Fd epfd, UserOut<fs::EpollEvent> events, int maxevents,
                             UserIn<fs::Timespec> timeout, UserIn<u64> sigmask, usize sigsetsize);

// clang-format off
#define ARAMID_SYSCALLS_POLL(X) \
  X(7, poll)                    \
  X(271, ppoll)                 \
  X(23, select)                 \
  X(270, pselect6)              \
  X(213, epoll_create)          \
  X(291, epoll_create1)         \
  X(233, epoll_ctl)             \
  X(232, epoll_wait)            \
  X(281, epoll_pwait)           \
  X(441, epoll_pwait2)
// clang-format on

}  // namespace kernel::syscalls
