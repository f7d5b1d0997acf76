#pragma once
/// poll(2) and select(2)'s engine: subscribe to every file's PollQueue, then test readiness
/// and sleep until a notification, a timeout or a signal. The task marks itself blocked
/// before it tests, and a notification only makes it runnable again, so an event between
/// the test and the sleep is never lost (the same protocol as proc::WaitQueue).
#include "kernel/fs/actor.h"
#include "kernel/fs/poll_queue.h"

namespace kernel::fs {

/// One descriptor being polled.
struct PollRequest {
  int fd;
  u32 events;   ///< what the caller asked for (ev::*)
  u32 revents;  ///< what holds (always including ev::kErr/kHup; ev::kNval for a bad fd)
};

/// Deadline values for DoPoll.
inline constexpr u64 kPollNoWait = 0;
inline constexpr u64 kPollForever = ~u64{0};

/// Fills each request's revents and returns how many have any. Negative fds are ignored;
/// closed ones get POLLNVAL. Sleeps until something is ready or the monotonic clock reaches
/// `deadline_ns` (kPollNoWait: never sleeps; kPollForever: no timeout). ERESTARTNOHAND when
/// a signal arrives first. ENOMEM when the subscriptions cannot be allocated.
Result<usize> DoPoll(const Actor& actor, lib::span<PollRequest> requests, u64 deadline_ns);

}  // namespace kernel::fs
