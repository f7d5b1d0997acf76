#pragma once
/// eventfd(2): a 64-bit counter as a file. Writes add, reads take the whole count (or one,
/// with EFD_SEMAPHORE) and block while it is zero; a write that would overflow blocks.
#include "kernel/fs/file.h"

namespace kernel::fs {

inline constexpr u32 kEfdSemaphore = 1;
inline constexpr u32 kEfdNonBlock = o::kNonBlock;
inline constexpr u32 kEfdCloexec = o::kCloexec;

/// A new eventfd with `initval`; flags EFD_SEMAPHORE/EFD_NONBLOCK/EFD_CLOEXEC, others EINVAL.
Result<lib::RefPtr<File>> CreateEventFd(u32 initval, u32 flags);

}  // namespace kernel::fs
