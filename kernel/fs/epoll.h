#pragma once
/// epoll(7): an interest list of (fd, file) pairs and a ready list. Each item subscribes to
/// its file's PollQueue; a notification puts it on the ready list and wakes epoll_wait.
/// epoll_wait re-polls each ready item before reporting it: level-triggered items stay on
/// the list while they are ready, edge-triggered (EPOLLET) items leave it until the next
/// notification, and EPOLLONESHOT items are disabled after one report until EPOLL_CTL_MOD.
///
/// Items are keyed by (fd, file) as in Linux, and go away when the file's last reference does
/// (closing one of several descriptors of a file leaves the item registered).
#include "kernel/fs/file.h"

namespace kernel::fs {

inline constexpr int kEpollCtlAdd = 1;
inline constexpr int kEpollCtlDel = 2;
inline constexpr int kEpollCtlMod = 3;

/// struct epoll_event, packed on x86_64.
struct __attribute__((packed)) EpollEvent {
  u32 events;
  u64 data;
};
static_assert(sizeof(EpollEvent) == 12);

/// epoll_create1(2): flags EPOLL_CLOEXEC (O_CLOEXEC) only.
Result<lib::RefPtr<File>> CreateEpoll(u32 flags);
/// Whether `file` is an epoll instance.
inline bool IsEpoll(const File& file) { return file.kind() == FileKind::kEpoll; }
/// epoll_ctl(2) on the epoll instance `epoll`.
Result<void> EpollCtl(File& epoll, int op, int fd, File& target, const EpollEvent* event);
/// epoll_wait(2): up to `max` events into `out`. deadline_ns: 0 returns at once, ~0 waits
/// for ever, otherwise the monotonic time to give up at. ERESTARTNOHAND on signals.
Result<usize> EpollWait(File& epoll, EpollEvent* out, usize max, u64 deadline_ns);

}  // namespace kernel::fs
