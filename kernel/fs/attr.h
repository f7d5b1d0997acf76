#pragma once
/// Attributes: stat/statx/statfs, chmod, chown, utimensat, truncate, access [fs/stat.c,
/// fs/open.c, fs/attr.c, fs/utimes.c], with the permission rules Linux applies to each.
#include "kernel/fs/actor.h"

namespace kernel::fs {

/// struct stat of the object at `p`.
void FillStat(const Path& p, Stat& out);
/// Inode-only variant (anonymous files: pipes, epoll, eventfd).
void FillStatInode(const Inode& inode, Stat& out);
/// statx(2) of `p` (the mask asks; we answer what we have, as Linux does).
void FillStatx(const Path& p, const Inode& inode, Statx& out);
/// statfs(2) of the file system `p` lives on.
void FillStatFs(const Path& p, StatFs& out);

/// chmod: the owner or CAP_FOWNER; S_ISGID cleared for a non-member without CAP_FSETID.
Result<void> ChangeMode(const Actor& actor, const Path& p, u32 mode);
/// chown: uid/gid of ~0u (-1) keep; CAP_CHOWN for giving away or for a foreign group.
Result<void> ChangeOwner(const Actor& actor, const Path& p, u32 uid, u32 gid);
/// utimensat: times == null sets both to now; UTIME_NOW / UTIME_OMIT per entry.
Result<void> SetTimes(const Actor& actor, const Path& p, const Timespec* times);
/// truncate(2) of a path: write permission, regular files only.
Result<void> TruncatePath(const Actor& actor, const Path& p, i64 length);
/// ftruncate(2): the file must be a regular file open for writing.
Result<void> TruncateFile(File& file, i64 length);
/// faccessat2(2). mode is F_OK or a mask of R_OK/W_OK/X_OK, checked with actor.cred (the
/// syscall passes the real ids unless AT_EACCESS).
Result<void> Access(const Actor& actor, int dirfd, lib::string_view path, u32 mode, u32 flags);

}  // namespace kernel::fs
