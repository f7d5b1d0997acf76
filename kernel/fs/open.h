#pragma once
/// Opening files: open(2), openat(2), openat2(2) and execve's open [man 2 open].
#include "kernel/fs/actor.h"
#include "kernel/fs/file.h"

namespace kernel::fs {

/// Resolves `path` from `dirfd`, creates it with O_CREAT (mode & ~umask), checks permission,
/// truncates with O_TRUNC, and returns the open file. `flags` are open(2) flags (O_CLOEXEC is
/// the caller's business: it belongs to the fd). `resolve` is openat2's RESOLVE_* mask.
Result<lib::RefPtr<File>> Open(const Actor& actor, int dirfd, lib::string_view path, u32 flags,
                               u32 mode, u64 resolve = 0);
/// The same for a task, with a NUL-terminated kernel copy of the path.
Result<lib::RefPtr<File>> Open(proc::Task& task, int dirfd, const char* kernel_path, int flags,
                               u32 mode);

/// execve's open: the file to execute, opened read-only without needing read permission.
/// EACCES unless it is a regular file with execute permission (root needs at least one
/// execute bit) on a mount without noexec; ENOENT/ENOTDIR/ELOOP/ENAMETOOLONG from the walk.
/// at_flags: AT_EMPTY_PATH (fexecve), AT_SYMLINK_NOFOLLOW (ELOOP on a final symlink).
Result<lib::RefPtr<File>> OpenExec(const Actor& actor, int dirfd, lib::string_view path,
                                   u32 at_flags);
Result<lib::RefPtr<File>> OpenExec(proc::Task& task, int dirfd, const char* kernel_path,
                                   u32 at_flags);

/// Whether the mount the file was opened from forbids set-user-ID (execve asks).
bool MountIsNoSuid(const File& file);

}  // namespace kernel::fs
