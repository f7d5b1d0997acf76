#pragma once
/// Operations on names: mkdir, mknod, unlink/rmdir, rename, link, symlink, readlink
/// [fs/namei.c]. Each resolves its parent directory, checks the last component as Linux does
/// (EEXIST, ENOENT, EISDIR, ENOTDIR, EBUSY for mountpoints, EXDEV across mounts), checks
/// permission (write and search on the directory, the sticky bit for removals), asks the
/// file system, and keeps the dentry cache in step.
#include "kernel/fs/actor.h"

namespace kernel::fs {

/// mkdirat(2): mode & ~umask (with the sticky bit kept).
Result<void> MakeDirectory(const Actor& actor, int dirfd, lib::string_view path, u32 mode);
/// mknodat(2): regular files, FIFOs, sockets, and device nodes (CAP_MKNOD).
Result<void> MakeNode(const Actor& actor, int dirfd, lib::string_view path, u32 mode, u64 dev);
/// unlinkat(2): with at::kRemoveDir, rmdir(2).
Result<void> Unlink(const Actor& actor, int dirfd, lib::string_view path, u32 at_flags);
/// renameat2(2): flags kRenameNoReplace / kRenameExchange.
Result<void> Rename(const Actor& actor, int old_dirfd, lib::string_view old_path, int new_dirfd,
                    lib::string_view new_path, u32 flags);
/// linkat(2): at_flags AT_SYMLINK_FOLLOW, AT_EMPTY_PATH.
Result<void> Link(const Actor& actor, int old_dirfd, lib::string_view old_path, int new_dirfd,
                  lib::string_view new_path, u32 at_flags);
/// symlinkat(2).
Result<void> Symlink(const Actor& actor, lib::string_view target, int new_dirfd,
                     lib::string_view link_path);
/// readlinkat(2) into kernel memory: the bytes copied (not NUL-terminated, cut at `size`).
/// EINVAL when the path is not a symlink; "" with the dirfd of an O_PATH|O_NOFOLLOW symlink
/// reads that link.
Result<usize> ReadLink(const Actor& actor, int dirfd, lib::string_view path, char* buf, usize size);

}  // namespace kernel::fs
