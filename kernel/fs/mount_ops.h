#pragma once
/// mount(2), umount2(2), pivot_root(2), chroot(2), chdir(2)/fchdir(2), getcwd(2), and making
/// the first namespace.
#include "kernel/fs/actor.h"

namespace kernel::fs {

/// A new mount namespace whose root is a fresh instance of `type` (options in `data`), and
/// an FsContext rooted there. The boot path makes the rootfs this way; so do tests.
Result<lib::RefPtr<FsContext>> CreateRootContext(const FileSystemType& type,
                                                 lib::string_view data = {},
                                                 lib::string_view source = {});

/// Mounts a new instance of the file system `type` on the directory `target` (kernel-internal
/// mounts: /dev, /proc, /sys at boot).
Result<void> MountFileSystem(const Actor& actor, const FileSystemType& type,
                             lib::string_view source, lib::string_view target, u64 flags,
                             lib::string_view data);

/// mount(2): new mounts, MS_BIND (with MS_REC), MS_MOVE, MS_REMOUNT (with MS_BIND: the mount
/// flags only), and the propagation flags, which are accepted (every mount is private).
Result<void> MountByPath(const Actor& actor, lib::string_view source, lib::string_view target,
                         lib::string_view fstype, u64 flags, lib::string_view data);
/// umount2(2): EBUSY while anything is open or current on it (or below it), unless
/// MNT_DETACH, which detaches now and lets the holders finish.
Result<void> UnmountByPath(const Actor& actor, lib::string_view target, int flags);
/// pivot_root(2).
Result<void> PivotRoot(const Actor& actor, lib::string_view new_root, lib::string_view put_old);

/// chdir(2) / fchdir(2) / chroot(2).
Result<void> ChangeDirectory(const Actor& actor, lib::string_view path);
Result<void> ChangeDirectoryTo(const Actor& actor, const File& dir);
Result<void> ChangeRoot(const Actor& actor, lib::string_view path);
/// getcwd(2) into kernel memory: the length including the NUL. ERANGE when `size` is too
/// small, ENOENT when the cwd has been removed.
Result<usize> GetCwd(const Actor& actor, char* buf, usize size);

}  // namespace kernel::fs
