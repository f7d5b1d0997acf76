#pragma once
/// The initramfs: the boot archive unpacked into a tmpfs that becomes the root of the first
/// mount namespace, as Linux's populate_rootfs does [init/initramfs.c]. The archive is one or
/// more cpio "newc" archives, each plain or gzip-compressed, concatenated.
#include "kernel/fs/actor.h"
#include "kernel/fs/fs_context.h"

namespace kernel::fs {

/// Unpacks `archive` into a fresh tmpfs root ("rootfs"), then mounts devtmpfs on /dev (with
/// /dev/console and the other device nodes), procfs on /proc and sysfs on /sys, creating the
/// directories when the archive lacks them. On a malformed or truncated archive it logs a
/// message naming the bad entry and returns EINVAL (the caller stops the machine); ENOMEM
/// when memory runs out. The context is kept for InitFsContext().
Result<void> MountRootFromInitramfs(lib::span<const u8> archive);

/// The FsContext PID 1 starts with (root and cwd at "/", umask 022); null before
/// MountRootFromInitramfs succeeded.
lib::RefPtr<FsContext> InitFsContext();

/// Mounts, in the init context's namespace, what an init mounts first: devtmpfs on /dev,
/// devpts on /dev/pts, proc on /proc and sysfs on /sys. The kernel itself mounts nothing over
/// the initramfs, as Linux; hosts that play init without one (hostsim's native runner) call
/// this. ENOENT before MountRootFromInitramfs.
Result<void> MountInitFileSystems();

/// Opens /dev/console read-write on fds 0, 1 and 2 of `fds`, as Linux does for init
/// (console_on_rootfs). ENOENT (logged) when there is no console node.
Result<void> OpenInitConsole(FdTable& fds);

/// Unpacks `archive` (cpio, optionally gzip-compressed, concatenated) into the tree of
/// `actor` (relative to its cwd). EINVAL with *message describing the problem.
Result<void> UnpackArchive(const Actor& actor, lib::span<const u8> archive, const char** message);

/// Forgets the init context (tests).
void ResetInitFsContextForTesting();

}  // namespace kernel::fs
