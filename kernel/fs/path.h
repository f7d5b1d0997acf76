#pragma once
/// A Path is a place in the mount tree: a dentry and the mount it was reached through (the
/// same dentry can be visible at several places). Open files, cwds and roots are Paths.
#include "kernel/fs/dentry.h"
#include "kernel/fs/mount.h"
#include "kernel/lib/string.h"

namespace kernel::fs {

struct Path {
  lib::RefPtr<Mount> mnt;
  lib::RefPtr<Dentry> dentry;

  bool valid() const { return static_cast<bool>(dentry); }
  Inode* inode() const { return dentry ? dentry->inode() : nullptr; }
  bool operator==(const Path& o) const { return mnt == o.mnt && dentry == o.dentry; }
};

/// What a symlink resolves to: text to walk (ordinary symlinks), or a place to jump to
/// (procfs magic links such as /proc/self/fd/3 and /proc/self/cwd).
struct LinkTarget {
  lib::String text;
  Path jump;
  bool is_jump() const { return jump.valid(); }
};

/// The path of `p` as seen from `root` (getcwd(2), /proc/self/fd links, /proc/mounts):
/// "/a/b". A place outside `root` gets the path from its namespace root; an unlinked
/// dentry gets " (deleted)" appended, as Linux's d_path does.
Result<lib::String> PathToString(const Path& p, const Path& root);

/// Whether walking up from `p` reaches `root` (getcwd says "(unreachable)" otherwise).
bool IsReachableFrom(const Path& p, const Path& root);

}  // namespace kernel::fs
