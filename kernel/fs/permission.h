#pragma once
/// Permission checks as Linux's generic_permission and may_delete/may_create do them
/// [fs/namei.c]: the owner, group or other bits decide; CAP_DAC_OVERRIDE then allows reading
/// and writing anything and searching any directory, and executing any file that has at least
/// one execute bit; CAP_DAC_READ_SEARCH allows reading files and reading/searching
/// directories. Writes to read-only mounts are EROFS for files, directories and symlinks.
#include "kernel/fs/credentials.h"
#include "kernel/fs/path.h"

namespace kernel::fs {

/// kMayRead / kMayWrite / kMayExec on `inode`: EACCES when denied.
Result<void> CheckPermission(const Credentials& cred, const Inode& inode, u32 may);
/// As CheckPermission, and EROFS for a write on a read-only mount.
Result<void> CheckPathPermission(const Credentials& cred, const Path& path, u32 may);
/// The owner, or CAP_FOWNER (chmod, utimes with explicit times, sticky-directory deletes).
bool IsOwnerOrCapable(const Credentials& cred, const Inode& inode);
/// May `cred` create an entry in directory `dir` (write + search; EROFS on read-only mounts)?
Result<void> MayCreate(const Credentials& cred, const Path& dir);
/// May `cred` remove (or rename away) `victim` from `dir`? Adds the sticky-bit rule.
Result<void> MayDelete(const Credentials& cred, const Path& dir, const Inode& victim);

}  // namespace kernel::fs
